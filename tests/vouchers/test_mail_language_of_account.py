"""A voucher step is mailed to each person in the language kept on their account."""

from __future__ import annotations

from django.core import mail

from tests.vouchers.fixtures import *  # noqa: F403
from tests.vouchers.test_workflow import people  # noqa: F401
from werklandschap.vouchers import services
from werklandschap.vouchers.workflow import Status


def test_each_reader_gets_the_step_in_their_own_language(
    application,
    people,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    contact = people["contact"]
    contact.language = "en"
    contact.save()
    services.move(application, Status.IN_ASSESSMENT, by=people["team"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(application, Status.AWARDED, by=people["team"])
    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address.pop("contact@example.org")
    assert "Awarded" in english.subject and "Toegekend" not in english.subject
    assert "/en/vouchers/" in english.body
    # The process supporter kept Dutch.
    assert by_address, "the award is mailed to the supporter too"
    for dutch in by_address.values():
        assert "Toegekend" in dutch.subject and "/en/" not in dutch.body
