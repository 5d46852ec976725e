"""Directors and partners get the desk's mails one each, in the language kept on their account."""

from __future__ import annotations

from django.core import mail

from werklandschap.accounts.models import User
from werklandschap.support import emails


def test_a_new_question_reaches_each_director_in_their_language(users, park):
    from werklandschap.support.models import Question

    director_org = park.region.director
    dutch = User.objects.create_user("regisseur-nl", "nl@example.org", organisation=director_org)
    english = User.objects.create_user(
        "regisseur-en", "en@example.org", organisation=director_org, language="en"
    )
    question = Question.objects.create(
        reference="V-TEST-1",
        title="Hoe vergroenen we het terrein?",
        body="Een vraag.",
        park=park,
        region=park.region,
        director=director_org,
        asker_email="vrager@example.org",
    )
    mail.outbox.clear()
    emails.notify_director(question)
    by_address = {m.to[0]: m for m in mail.outbox if m.to[0] in (dutch.email, english.email)}
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "/en/vragen/" in by_address["en@example.org"].body
    assert "/en/" not in by_address["nl@example.org"].body
    assert by_address["en@example.org"].subject != by_address["nl@example.org"].subject
