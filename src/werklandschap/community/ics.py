"""An event as an RFC 5545 calendar file, built with the ``icalendar`` library.

Start and end carry ``TZID=Europe/Amsterdam`` with the zone's VTIMEZONE
definition in the file, so a calendar shows the Dutch time even across a
change to or from summer time. The UID is the event's fixed ``uid`` (a
calendar replaces its copy on a second download) and SEQUENCE its version,
raised when time or place changes. Text is escaped by the library (commas,
semicolons, backslashes, new lines), so a title cannot add properties or
components. The online link is written only for someone with a confirmed
place (``include_online_url``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event, EventStatus

ZONE = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Werklandschappen van de Toekomst//werklandschap//NL"
UID_DOMAIN = "werklandschappen.nl"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def event_calendar(event: Event, *, page_url: str, include_online_url: bool) -> bytes:
    """The ``.ics`` file of one event."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.title)
    vevent.add("dtstart", event.starts_at.astimezone(ZONE))
    vevent.add("dtend", event.ends_at.astimezone(ZONE))
    places = [p for p in (event.location, event.online_url if include_online_url else "") if p]
    if places:
        vevent.add("location", " / ".join(places))
    description = "\n\n".join(p for p in (event.description, page_url) if p)
    if description:
        vevent.add("description", description)
    vevent.add("url", page_url)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
