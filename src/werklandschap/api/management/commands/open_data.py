"""``werklandschap manage open_data``: write the bulk open-data downloads anew (issue 21)."""

from django.core.management.base import BaseCommand

from ... import opendata


class Command(BaseCommand):
    help = "Schrijft de open-databestanden (CSV, XLSX, GeoJSON, GeoPackage) opnieuw."

    def handle(self, *args, **options):
        m = opendata.regenerate()
        self.stdout.write(f"{m['parks']} terreinen -> {opendata.root()}")
