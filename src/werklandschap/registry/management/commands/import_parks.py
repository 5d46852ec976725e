"""werklandschap import-parks PATH: park outlines from GeoJSON, GeoPackage or Shapefile.

Thin on purpose: the rules live in ``registry.importers`` so that the web
upload applies exactly the same ones.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from werklandschap.registry.importers import SOURCES, ImportFileError, import_parks


class Command(BaseCommand):
    help = (
        "Importeer bedrijventerreinen (vlakken) uit GeoJSON, GeoPackage of Shapefile (ook "
        "ingepakt als .zip), in elk coördinatenstelsel. Herkent IBIS werklocaties, "
        "OpenStreetMap-exports (landuse=industrial) en bestanden met alleen naam en geometrie. "
        "Bestaande terreinen worden bijgewerkt (op kenmerk, anders op overlap); opnieuw "
        "importeren verandert niets. Alles of niets: een onleesbaar bestand wijzigt niets, "
        "afgewezen rijen worden met reden gemeld."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="het bestand (.geojson, .json, .gpkg, .shp of .zip)")
        parser.add_argument(
            "--source",
            choices=SOURCES,
            default="auto",
            help="soort bestand; standaard herkend aan de veldnamen",
        )
        parser.add_argument("--layer", help="laag in een bestand met meerdere lagen (GeoPackage)")
        parser.add_argument("--name-field", help="veld met de naam van het terrein")
        parser.add_argument(
            "--id-field", help="veld met het externe kenmerk (standaard: RIN_NUMMER, OSM-id)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen controleren en tellen, niets opslaan"
        )

    def handle(self, path: str, **options) -> None:
        try:
            report = import_parks(
                path,
                source=options["source"],
                layer=options["layer"],
                name_field=options["name_field"],
                id_field=options["id_field"],
                dry_run=options["dry_run"],
            )
        except ImportFileError as exc:
            raise CommandError(f"Niets geïmporteerd: {exc}") from exc
        if options["verbosity"] < 1:
            return
        lines = report.summary_lines()
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write(lines[1])
        for line in lines[2:]:
            style = self.style.WARNING if line.lstrip().startswith("Afgewezen") else str
            self.stdout.write(style(line))
