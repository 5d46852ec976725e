"""werklandschap support-digest: the daily mail of overdue and soon-due questions."""

from django.core.management.base import BaseCommand

from werklandschap.support.digest import send_digests
from werklandschap.support.services import expire_unconfirmed


class Command(BaseCommand):
    help = (
        "Stuur elke regisseur en het programmateam een overzicht van vragen over de termijn, "
        "binnenkort op termijn en nog niet opgepakt, en trek vragen in waarvan het e-mailadres "
        "niet op tijd is bevestigd. Voor een dagelijkse planner (cron)."
    )

    def handle(self, **options):
        expired = expire_unconfirmed()
        if expired:
            self.stdout.write(f"{expired} onbevestigde vraag/vragen ingetrokken.")
        sent = send_digests()
        self.stdout.write(f"{sent} overzicht(en) verstuurd.")
