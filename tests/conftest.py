"""Shared fixtures: reference data, users per role, parks with real-looking shapes.

Reference data and the bundled CBS boundaries are loaded ONCE per test database
(so once per xdist worker), right after the database is created, and committed.
An ordinary test runs inside a transaction that is rolled back, so it sees that
data for free. What a test sees is still what it asked for, as when every test
loaded its own copy:

- no ``reference_data``: the tables the loaders wrote are emptied inside the
  test's transaction (``_shared_data_visibility``);
- ``reference_data`` without ``boundaries``: the province and municipality
  outlines are cleared inside the transaction;
- ``boundaries``: everything, and parks made earlier in the test get their areas
  re-derived, as ``load_boundaries`` would have done.

A transactional test (``transactional_db``, ``live_server``, browser tests,
``django_db(transaction=True)``) commits and ends with Django flushing every
table; ``pytest_runtest_setup`` below loads the data again before the next test
that asks for it. Should the data still be missing (a fixture asked for it
late), the fixtures fall back to running the loaders inside the test.
tests/test_shared_data.py checks that each view equals what the commands give.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from shapely.geometry import Polygon, box

from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Municipality, Organisation, Park, Province, Region
from werklandschap.registry.services import reassign_all_parks, unique_park_slug

# Delft, Schieweg area (RD New): a 400 x 300 m rectangle well inside the municipality.
DELFT_BOX = (85000.0, 447000.0, 85400.0, 447300.0)
# Eindhoven area (RD New): an L-shaped park of ~9 ha, far from the Delft test park.
EINDHOVEN_L = Polygon(
    [
        (160000, 383000),
        (160400, 383000),
        (160400, 383150),
        (160150, 383150),
        (160150, 383300),
        (160000, 383300),
    ]
)
# Fixtures through which a test gets database access (besides the django_db mark).
_DB_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)
_WRITE = re.compile(r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


@dataclass
class _SharedData:
    """What this process loaded into its test database once."""

    blocker: object
    tables: set[str] = field(default_factory=set)  # every table the loaders wrote
    loads: int = 0
    fallbacks: set[str] = field(default_factory=set)  # tests that ran a loader themselves


_shared: _SharedData | None = None


def _load_shared_data() -> None:
    """Run the loaders (committed) and remember which tables they wrote."""
    assert _shared is not None
    with CaptureQueriesContext(connection) as queries:
        call_command("load_reference", verbosity=0)
        call_command("load_boundaries", verbosity=0)
    for query in queries.captured_queries:
        match = _WRITE.match(query["sql"])
        if match:
            _shared.tables.add(match.group(1))
    _shared.loads += 1


def _shared_data_intact() -> bool:
    return Region.objects.exists() and Province.objects.exclude(geometry=None).exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the reference data and boundaries, once."""
    global _shared
    _shared = _SharedData(blocker=django_db_blocker)
    with django_db_blocker.unblock():
        _load_shared_data()
    yield
    _shared = None


def pytest_collection_modifyitems(config, items):
    """An ``engine`` test must not use the test database.

    The PostgreSQL phase leaves ``engine`` tests out; one that reached the database
    would silently never run against PostgreSQL (e.g. a database test added to a
    module marked ``engine`` as a whole).
    """
    wrong = [
        item.nodeid
        for item in items
        if item.get_closest_marker("engine") is not None
        and (
            item.get_closest_marker("django_db") is not None
            or _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
    ]
    if wrong:
        raise pytest.UsageError(
            "marked 'engine' (not run on PostgreSQL) but uses the test database: "
            + ", ".join(wrong)
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Load the shared data again, committed, if a transactional test flushed it.

    Runs before the test's fixtures, so outside its transaction. pytest-django
    runs transactional tests after the others, so this is rare in a full run.
    """
    if _shared is not None and "reference_data" in item.fixturenames:
        with _shared.blocker.unblock():
            if not _shared_data_intact():
                _load_shared_data()


def _hide_all_shared_data() -> None:
    quote = connection.ops.quote_name
    # Foreign keys are deferred: one transaction, so the order does not matter.
    with transaction.atomic(), connection.cursor() as cursor:
        for table in sorted(_shared.tables):
            cursor.execute(f"DELETE FROM {quote(table)}")


def _hide_boundaries() -> None:
    outline = {"geometry": None, "minx": None, "miny": None, "maxx": None, "maxy": None}
    Province.objects.update(**outline)
    Municipality.objects.update(**outline)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Dutch, the site's default.

    A request to an /en/ page leaves English active in the test thread
    (LocaleMiddleware activates it and nothing resets it), after which
    ``reverse()`` in later tests of the same worker builds /en/ URLs.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _shared_data_visibility(request):
    """A database test that did not ask for ``reference_data`` starts with none of it."""
    names = set(request.fixturenames)
    if "reference_data" in names:
        return
    if request.node.get_closest_marker("django_db") is None and not names & _DB_FIXTURES:
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    if _shared is not None:
        _hide_all_shared_data()


@pytest.fixture
def reference_data(db, request):
    """The programme's reference data, as ``load_reference`` leaves it."""
    if not Region.objects.exists():
        call_command("load_reference", verbosity=0)  # slow path: hidden or flushed
        _shared.fallbacks.add(request.node.nodeid)
    elif "boundaries" not in request.fixturenames:
        _hide_boundaries()


@pytest.fixture
def boundaries(reference_data, request):
    """The bundled CBS 2023 provinces and municipalities."""
    if Province.objects.exclude(geometry=None).exists():
        # What load_boundaries ends with: parks made earlier in the test follow.
        reassign_all_parks()
    else:
        call_command("load_boundaries", verbosity=0)
        _shared.fallbacks.add(request.node.nodeid)


def make_user(role: Role, username: str, organisation: Organisation | None = None) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username=username, password="pw-" + username)
    user.organisation = organisation
    if role == Role.PROGRAMME_TEAM:
        user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def park(reference_data):
    region = Region.objects.get(name="Rotterdam-Den Haag")
    return Park.objects.create(
        name="Testterrein Schieweg",
        slug=unique_park_slug("Testterrein Schieweg"),
        geometry=box(*DELFT_BOX),
        region=region,
        province=region.municipalities.first().province,
    )


@pytest.fixture
def users(reference_data, park):
    """One user per role; the park contact and the regional director belong to ``park``.

    The one set of role users for every test; ``team`` and ``outsiders`` build on it.
    """
    director_org = park.region.director
    province_org = park.province.organisation
    result = {
        Role.PROGRAMME_TEAM: make_user(Role.PROGRAMME_TEAM, "team"),
        Role.REGIONAL_DIRECTOR: make_user(Role.REGIONAL_DIRECTOR, "regisseur", director_org),
        Role.COALITION_PARTNER: make_user(
            Role.COALITION_PARTNER, "partner", Organisation.objects.get(name="Heijmans")
        ),
        Role.PARK_CONTACT: make_user(Role.PARK_CONTACT, "contact"),
        Role.PROVINCE_OFFICER: make_user(Role.PROVINCE_OFFICER, "provincie", province_org),
    }
    ParkContact.objects.create(
        user=result[Role.PARK_CONTACT], park=park, capacity=ParkContact.Capacity.PARK_MANAGEMENT
    )
    return result


@pytest.fixture
def team(users) -> User:
    """The programme team member of ``users``."""
    return users[Role.PROGRAMME_TEAM]


@pytest.fixture
def other_park(reference_data) -> Park:
    """A partner park in another region and province than ``park`` (a module may override it)."""
    region = Region.objects.get(name="Metropoolregio Eindhoven")
    return Park.objects.create(
        name="Bedrijventerrein De Hurk-Zuid",
        slug=unique_park_slug("Bedrijventerrein De Hurk-Zuid"),
        geometry=EINDHOVEN_L,
        region=region,
        province=region.municipalities.first().province,
        swarm_role=SwarmRole.PARTNER,
    )


@pytest.fixture
def outsiders(users, park, other_park) -> dict[Role, User]:
    """The roles tied to a park, region or province, on the side of ``other_park``.

    A park contact of ``other_park``, the director of its region and an officer of
    its province: each has the rights of its role there and none on ``park``.
    """
    assert park.region.director_id != other_park.region.director_id
    assert park.province_id != other_park.province_id
    contact = make_user(Role.PARK_CONTACT, "contact-elders")
    ParkContact.objects.create(
        user=contact, park=other_park, capacity=ParkContact.Capacity.ASSOCIATION
    )
    return {
        Role.PARK_CONTACT: contact,
        Role.REGIONAL_DIRECTOR: make_user(
            Role.REGIONAL_DIRECTOR, "regisseur-elders", other_park.region.director
        ),
        Role.PROVINCE_OFFICER: make_user(
            Role.PROVINCE_OFFICER, "provincie-elders", other_park.province.organisation
        ),
    }


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, running one request at a time when it shares the test's connection.

    On in-memory SQLite the live server's request threads all use the test thread's
    one connection (``connections_override``). Python's sqlite3 connection is not
    safe for simultaneous use: a page that loads several charts at once had two
    request threads deadlock inside it (a browser test then waited forever).
    Connections are still accepted in parallel (keep-alive); the application and
    the response body run under one lock. With its own connection per thread
    (PostgreSQL) the server is as threaded as before.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            lock.acquire()
            try:
                result = application(environ, start_response)
            except BaseException:
                lock.release()
                raise
            return _ReleaseOnClose(result, lock)

        return super().set_app(one_at_a_time)


class _ReleaseOnClose:
    """A WSGI response that holds the lock until the server has sent it (close())."""

    def __init__(self, result, lock):
        self._result, self._lock = result, lock

    def __iter__(self):
        return iter(self._result)

    def close(self):
        try:
            if hasattr(self._result, "close"):
                self._result.close()
        finally:
            lock, self._lock = self._lock, None
            if lock is not None:  # once: by then another request may hold the lock
                lock.release()


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    """See ``_OneRequestAtATimeServer``; in place before the first ``live_server``."""
    from django.test.testcases import LiveServerThread

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", _OneRequestAtATimeServer)
        yield


@pytest.fixture(scope="session")
def _shared_chromium():
    """This worker's one Chromium (tests/browser.py: SharedChromium), stopped at the end."""
    from tests.browser import SharedChromium

    shared = SharedChromium()
    yield shared
    shared.stop()


@pytest.fixture
def browser(monkeypatch, _shared_chromium):
    """Headless Debian Chromium (see tests/browser.py for the marks to use with it).

    The worker's Chromium, with no page or context open; whatever the test opens is
    closed when it ends.
    """
    # Playwright's sync API runs an event loop in this thread; the ORM calls a
    # test makes between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        chromium = _shared_chromium.acquire()
    except BaseException:
        _shared_chromium.release()
        raise
    assert not chromium.contexts, "a previous browser test left a context open"
    yield chromium
    _shared_chromium.release()
