"""Expire sign-ups whose confirmation link ran out (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from werklandschap.partnership.services import confirm_days, expire_stale


class Command(BaseCommand):
    help = "Zet niet-bevestigde aanmeldingen partnerterrein op 'verlopen' als de link is verlopen."

    def handle(self, *args, **options) -> None:
        count = expire_stale()
        self.stdout.write(
            f"{count} aanmelding(en) verlopen (niet bevestigd binnen {confirm_days()} dagen)."
        )
