"""werklandschap expire_vouchers: awarded vouchers past their deliverables deadline expire."""

from django.core.management.base import BaseCommand

from werklandschap.vouchers.services import expire_overdue


class Command(BaseCommand):
    help = (
        "Laat toegekende vouchers vervallen waarvan groenvisie en financieringsplan niet voor "
        "de termijn zijn ingediend (dagelijks draaien). Het geld gaat terug naar de ronde."
    )

    def handle(self, **options):
        count = expire_overdue()
        if options["verbosity"]:
            self.stdout.write(f"{count} voucher(s) vervallen.")
