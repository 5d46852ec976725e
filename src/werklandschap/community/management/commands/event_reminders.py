"""werklandschap manage event_reminders: the daily reminder of upcoming events."""

from django.conf import settings
from django.core.management.base import BaseCommand

from werklandschap.community.services import send_pending_invitations, send_reminders


class Command(BaseCommand):
    help = (
        "Stuur iedereen met een plaats een herinnering voor bijeenkomsten die binnen "
        "EVENT_REMINDER_HOURS beginnen (één keer per aanmelding; veilig om vaker te draaien), "
        "en verstuur webinaruitnodigingen die eerder niet verstuurd konden worden. "
        "Voor een dagelijkse planner (cron)."
    )

    def handle(self, **options):
        sent = send_reminders(hours=settings.EVENT_REMINDER_HOURS)
        invited = send_pending_invitations()
        self.stdout.write(f"{sent} herinnering(en) en {invited} uitnodiging(en) verstuurd.")
