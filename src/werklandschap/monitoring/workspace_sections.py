"""The monitoring part of the workspace: links to the dashboards the user may open
(the team: the programme and every area; an officer: their province; a director: their
region). Found by ``workspace.apps`` (``autodiscover_modules("workspace_sections")``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from werklandschap.workspace.sections import Section, register

from .links import dashboards_for


@register(order=80)
def monitoring_section(user) -> Section | None:
    links = dashboards_for(user)
    if not links:
        return None
    return Section(
        key="monitor",
        title=_("Monitor"),
        template="monitoring/_workspace.html",
        context={"links": links},
    )
