"""werklandschap load-boundaries [PATH]: province and municipality outlines from CBS."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from werklandschap.registry.boundaries import (
    DEFAULT_BOUNDARIES_PATH,
    BoundaryError,
    load_boundaries,
)


class Command(BaseCommand):
    help = (
        "Laad de grenzen van provincies en gemeenten uit het CBS-bestand "
        "'cbsgebiedsindelingen' (GeoPackage zoals PDOK het publiceert). Daarna volgen "
        "gemeente, provincie en regio van elk terrein uit zijn geometrie. Opnieuw draaien "
        "werkt bij; alles of niets."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_BOUNDARIES_PATH),
            help="het GeoPackage (standaard: de meegeleverde CBS-grenzen van 2023)",
        )

    def handle(self, path: str, **options) -> None:
        try:
            report = load_boundaries(path)
        except BoundaryError as exc:
            raise CommandError(f"Grenzen niet geladen: {exc}") from exc
        if options["verbosity"] >= 1:
            lines = report.summary_lines()
            self.stdout.write(self.style.SUCCESS(lines[0]))
            for line in lines[1:]:
                style = self.style.WARNING if line.startswith("Let op") else str
                self.stdout.write(style(line))
