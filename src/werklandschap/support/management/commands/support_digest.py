"""werklandschap support-digest: the daily mail of overdue and soon-due questions."""

from django.core.management.base import BaseCommand

from werklandschap.support.digest import send_digests


class Command(BaseCommand):
    help = (
        "Stuur elke regisseur en het programmateam een overzicht van vragen over de termijn, "
        "binnenkort op termijn en nog niet opgepakt. Voor een dagelijkse planner (cron)."
    )

    def handle(self, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} overzicht(en) verstuurd.")
