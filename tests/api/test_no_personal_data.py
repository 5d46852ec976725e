"""No personal data in public outputs (issue 21).

Every model is introspected for personal fields: e-mail fields, fields named *email*
or *phone*, and the name fields of person-like models (a model with an e-mail field,
and the user model). Records are created with a unique sentinel in each such field,
linked to the park that the public outputs show; then every public API endpoint, every
open-data download and the public park list, map data, CSV and park page are fetched,
and none may contain a sentinel.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from werklandschap.accounts.models import ParkContact
from werklandschap.api import opendata

from .helpers import stored_scan

pytestmark = pytest.mark.django_db
_counter = itertools.count(1)
NAME_FIELDS = {"name", "first_name", "last_name", "username", "full_name", "display_name"}


def _person_like(model) -> bool:
    return model is get_user_model() or any(
        isinstance(f, models.EmailField) or "email" in f.name for f in model._meta.concrete_fields
    )


def personal_fields(model) -> list[models.Field]:
    out = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField):
            continue
        name = f.name.lower()
        if (
            isinstance(f, models.EmailField)
            or "email" in name
            or "phone" in name
            or (_person_like(model) and (name in NAME_FIELDS or name.endswith("_name")))
        ):
            out.append(f)
    return out


def _sentinel(field: models.Field) -> str:
    n = next(_counter)
    if isinstance(field, models.EmailField) or "email" in field.name:
        value = f"zqxmail{n}@example.org"
    elif "phone" in field.name:
        value = f"+31699{n:05d}"
    else:
        value = f"Zqxperson{n}"
    return value[: field.max_length] if field.max_length else value


def _value(field: models.Field, park, user):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        target = field.related_model
        if target is type(park):
            return park
        if target is get_user_model():
            return user
        existing = target.objects.first()
        return existing if existing is not None else _build(target, park, user)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.EmailField):
        return f"x{next(_counter)}@example.org"
    if isinstance(field, models.SlugField):
        return f"x-{next(_counter)}"
    if isinstance(field, models.CharField | models.TextField):
        return f"x{next(_counter)}"[: field.max_length or 10]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date.today()
    if isinstance(field, models.JSONField):
        return {}
    return None


def _build(model, park, user, sentinels: list[str] | None = None):
    """An instance of ``model`` with every personal field a fresh sentinel."""
    kwargs = {}
    personal = {f.name for f in personal_fields(model)}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.auto_created:
            continue
        if f.name in personal:
            kwargs[f.name] = value = _sentinel(f)
            if sentinels is not None:
                sentinels.append(value)
            continue
        if isinstance(f, models.ForeignKey) and f.related_model is type(park):
            kwargs[f.name] = park  # link the person to the park the outputs show
            continue
        if (
            f.has_default()
            or f.null
            or getattr(f, "auto_now", False)
            or getattr(f, "auto_now_add", False)
        ):
            continue
        kwargs[f.name] = _value(f, park, user)
    return model.objects.create(**kwargs)


@pytest.fixture
def seeded(park, users, settings, tmp_path):
    """Sentinels in every personal field we can create a record of; returns them."""
    settings.OPEN_DATA_ROOT = str(tmp_path / "open-data")
    settings.API_ANON_RATE = ""
    stored_scan(park)
    sentinels: list[str] = []
    person = _build(get_user_model(), park, None, sentinels)
    ParkContact.objects.create(user=person, park=park, capacity=ParkContact.Capacity.OWNER)
    for user in users.values():  # the role users: contacts, director, officer, partner
        for f in personal_fields(type(user)):
            value = _sentinel(f)
            setattr(user, f.name, value)
            sentinels.append(value)
        user.save()
    seeded_models, skipped = {get_user_model()}, []
    for model in apps.get_models():
        if model in seeded_models or not personal_fields(model):
            continue
        try:
            with transaction.atomic():
                _build(model, park, person, sentinels)
            seeded_models.add(model)
        except (IntegrityError, ValueError, TypeError) as exc:  # an unusual required field
            skipped.append(f"{model._meta.label}: {exc}")
    # Content that people made: an innovation entry and an event, linked to a person.
    from tests.community.fixtures import make_event
    from tests.knowledge.fixtures import make_entry
    from werklandschap.accounts.roles import Role
    from werklandschap.community import services as community
    from werklandschap.community.models import Community

    author = users[Role.PARK_CONTACT]
    make_entry(author, "Openbare innovatie", publish_by=users[Role.PROGRAMME_TEAM], park=park)
    community.ensure_communities()
    make_event(Community.objects.first(), created_by=author)
    opendata.regenerate()
    return sentinels, seeded_models, skipped


def public_outputs(client, park) -> dict[str, bytes]:
    urls = [
        "/api/v1/parks",
        f"/api/v1/parks/{park.slug}",
        f"/api/v1/parks/{park.slug}/scan-summary",
        "/api/v1/progress",
        "/api/v1/statistics",
        "/api/v1/measures",
        "/api/v1/open-data",
        "/api/v1/events",
        "/api/v1/innovation-entries",
        "/api/v1/openapi.json",
        *[f"/api/v1/open-data/{name}" for name in opendata.FILES],
        "/terreinen/",
        "/terreinen/terreinen.csv",
        "/terreinen/kaart.geojson",
        park.get_absolute_url(),
        f"/portaal/{park.slug}/",
    ]
    out = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[url] = body
    return out


def test_no_personal_field_appears_in_any_public_output(client, park, seeded):
    sentinels, seeded_models, skipped = seeded
    from werklandschap.accounts.models import User
    from werklandschap.support.models import Question

    assert {User, Question} <= seeded_models, skipped  # the people the platform knows
    assert len(sentinels) >= 10
    outputs = public_outputs(client, park)
    assert b"Openbare innovatie" in outputs["/api/v1/innovation-entries"]  # not an empty walk
    assert b"Roadshow Werklandschappen" in outputs["/api/v1/events"]
    leaks = [
        (url, s)
        for url, body in outputs.items()
        for s in sentinels
        if s.lower().encode() in body.lower()
    ]
    assert not leaks, leaks


def test_the_check_would_see_a_leak(client, park, seeded):
    """The walk finds a sentinel when one is public (a park named after a person)."""
    sentinels, _, _ = seeded
    park.name = sentinels[0]
    park.save()
    outputs = public_outputs(client, park)
    assert any(sentinels[0].lower().encode() in body.lower() for body in outputs.values())
