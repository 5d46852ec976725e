"""The registry of workspace sections.

A section function takes the user and returns a :class:`Section` (or None when
it has nothing for them). The page shows the sections that answered, in order.
A capability adds its items by registering a function, in its own app's
``workspace_sections`` module (imported at start-up by ``apps.py``)::

    from werklandschap.workspace.sections import Section, register

    @register(order=40)
    def open_questions(user):
        if not ...: return None
        return Section(key="questions", title=_("Vragen"), template="support/_ws.html",
                       context={...})

Each function decides for itself who sees it, through ``accounts.policies``
and ``accounts.roles``; the view knows nothing of roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SectionFunction = Callable[[object], "Section | None"]


@dataclass
class Section:
    key: str  # unique, also the HTML id
    title: str
    template: str  # partial rendered with ``context`` plus ``section``
    context: dict = field(default_factory=dict)
    # A count shown beside the title (e.g. sign-ups waiting); None = no badge.
    count: int | None = None


_REGISTRY: list[tuple[int, str, SectionFunction]] = []


def register(order: int = 50) -> Callable[[SectionFunction], SectionFunction]:
    """Add a section function; lower ``order`` comes first. Idempotent per function."""

    def decorator(func: SectionFunction) -> SectionFunction:
        name = f"{func.__module__}.{func.__qualname__}"
        if all(n != name for _o, n, _f in _REGISTRY):
            _REGISTRY.append((order, name, func))
            _REGISTRY.sort(key=lambda entry: (entry[0], entry[1]))
        return func

    return decorator


def sections_for(user) -> list[Section]:
    """The sections this user sees, in order."""
    found = []
    for _order, _name, func in _REGISTRY:
        section = func(user)
        if section is not None:
            found.append(section)
    return found
