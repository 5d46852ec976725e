"""werklandschap load-reference [DIR]: load the programme's reference data."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from werklandschap.lib.refdata import DEFAULT_REFERENCE_DIR, ReferenceDataError
from werklandschap.monitoring.reference import load_targets
from werklandschap.registry.reference import load_organisations, load_provinces, load_regions
from werklandschap.registry.services import reassign_all_parks
from werklandschap.support.reference import load_expertise
from werklandschap.vouchers.reference import load_green_deals


class Command(BaseCommand):
    help = (
        "Laad de referentiegegevens (provincies, organisaties, regio's met regisseurs, "
        "gemeente-regiotabel, expertises, programmadoelen, Green Deals) uit een map met "
        "databestanden. Opnieuw draaien werkt bij; alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(DEFAULT_REFERENCE_DIR),
            help="map met de referentiebestanden (standaard: de meegeleverde)",
        )

    def handle(self, directory, **options):
        path = Path(directory)
        if not path.is_dir():
            raise CommandError(f"Map niet gevonden: {path}")
        try:
            with transaction.atomic():
                counts = {
                    "provincies": load_provinces(path),
                    "organisaties": load_organisations(path),
                    "regio's": load_regions(path),
                    "expertises": load_expertise(path),
                    "programmadoelen": load_targets(path),
                    "Green Deals": load_green_deals(path),
                }
                # Regions of municipalities may have changed: parks follow.
                counts["terreinen ingedeeld"] = reassign_all_parks()
        except ReferenceDataError as exc:
            raise CommandError(f"Referentiegegevens niet geladen: {exc}") from exc
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Referentiegegevens geladen: {summary}."))
