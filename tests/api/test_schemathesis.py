"""Property-based tests of the served OpenAPI document (schemathesis, issue 21).

Every operation gets generated requests (valid and invalid parameters, odd slugs and
page sizes); no answer may be a 500, and every answer must match the document: its
status is declared, its body fits the schema, its content type is the declared one.
Bounded (few examples per operation, no shrinking) so the suite stays fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Park

from .helpers import stored_scan


@pytest.mark.django_db
def test_no_server_error_and_responses_match_the_spec(park, users, settings):
    # schemathesis' lazy pytest loader does not run under pytest 9; the operations'
    # hypothesis strategies are driven directly instead.
    settings.API_ANON_RATE = ""  # generated traffic must not run into the rate limit
    Park.objects.filter(pk=park.pk).update(slug="testterrein")
    stored_scan(Park.objects.get(pk=park.pk))
    cache.clear()
    # Once anonymous (public data; 401 for the rest), once as the programme team with a
    # token, so the role-bound answers are checked against the document too.
    token = Token.objects.create(user=users[Role.PROGRAMME_TEAM]).key
    # As Django's test client does: the WSGI handler must not close the test's database
    # connection at the end of each request (PostgreSQL would lose the test transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        app = get_wsgi_application()
        _run(app, {})
        _run(app, {"Authorization": f"Token {token}"})
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(app, auth: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    for operation in operations:

        @given(case=operation.as_strategy())
        @hsettings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            # The WSGI test client does not decompress; gzip is tested by lib.compression.
            response = case.call(headers={"Accept-Encoding": "identity", **auth})
            assert response.status_code < 500, (case.path, case.query, response.text[:500])
            case.validate_response(response, checks=checks)

        run()
        # Known identifiers, so the 200 answers are checked too (random slugs give 404s).
        if "{slug}" in operation.path or operation.path.endswith("support-questions"):
            case = operation.Case(path_parameters={"slug": "testterrein"})
            response = case.call(headers={"Accept-Encoding": "identity", **auth})
            expected = (
                200
                if auth or "scan-summary" in operation.path or operation.path == "/parks/{slug}"
                else 401
            )
            assert response.status_code == expected, (operation.path, response.text[:300])
            case.validate_response(response, checks=checks)
