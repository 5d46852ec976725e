"""werklandschap scan --all: scan the registry's parks and store the results."""

import signal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from werklandschap.registry.models import Park
from werklandschap.scanengine import ScanError

from ...models import ScanRun
from ...services import execute_run, start_run


class Command(BaseCommand):
    help = (
        "Bereken de nulmeting van de terreinen in het register met een databundel en sla de "
        "resultaten op (per ronde, zodat de geschiedenis bewaard blijft). Onderbreken mag: "
        "--resume RONDE rekent alleen de nog ontbrekende terreinen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bundle", help="manifest van de databundel (YAML)")
        parser.add_argument("--all", action="store_true", help="alle terreinen met een geometrie")
        parser.add_argument("--park", action="append", default=[], help="alleen dit terrein (slug)")
        parser.add_argument("--workers", type=int, default=2, help="processen (standaard 2)")
        parser.add_argument("--scheduler", help="adres van een Dask-scheduler (tcp://host:8786)")
        parser.add_argument(
            "--resume", type=int, metavar="RONDE", help="hervat een onderbroken ronde"
        )
        parser.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")
        parser.add_argument(
            "--pending",
            action="store_true",
            help="verwerk de wachtrij (b.v. net goedgekeurde terreinen)",
        )
        parser.add_argument(
            "--watch", action="store_true", help="met --pending: blijf de wachtrij volgen"
        )

    def handle(self, *args, **opts):
        if opts["pending"]:
            return self.handle_pending(opts)
        if opts["resume"]:
            run = ScanRun.objects.filter(pk=opts["resume"]).first()
            if run is None:
                raise CommandError(f"Ronde {opts['resume']} bestaat niet.")
        else:
            if not opts["bundle"]:
                raise CommandError("Geef een databundel op met --bundle MANIFEST.")
            if not opts["all"] and not opts["park"]:
                raise CommandError("Kies --all of een of meer --park SLUG.")
            try:
                run = start_run(Path(opts["bundle"]))
            except (ScanError, OSError) as exc:
                raise CommandError(f"Databundel onbruikbaar: {exc}") from exc
        parks = Park.objects.exclude(geometry=None).order_by("pk")
        if opts["park"]:
            parks = parks.filter(slug__in=opts["park"])
            if not parks.exists():
                raise CommandError(
                    "Geen van de opgegeven terreinen gevonden (of zonder geometrie)."
                )
        try:
            execute_run(
                run,
                parks,
                workers=opts["workers"],
                scheduler=opts["scheduler"],
                progress=not opts["no_progress"],
            )
        except KeyboardInterrupt as exc:
            # Ctrl+C or SIGTERM: the run is stored as interrupted (execute_run);
            # exit 130/143 as shells do, so scripts and CI see it did not finish.
            signum = getattr(exc, "signum", signal.SIGINT)
            run.refresh_from_db()
            raise CommandError(
                f"Ronde {run.pk} onderbroken ({signal.Signals(signum).name}): "
                f"{run.parks_ok + run.parks_failed} van {run.parks_total} terreinen berekend. "
                f"Hervat met: werklandschap scan --resume {run.pk}",
                returncode=128 + signum,
            ) from exc
        except ScanError as exc:
            raise CommandError(str(exc)) from exc
        run.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"Ronde {run.pk}: {run.parks_ok} terreinen berekend, {run.parks_failed} mislukt."
            )
        )
        for failed in run.park_scans.filter(status="failed").select_related("park")[:50]:
            self.stdout.write(f"  mislukt: {failed.park.name}: {failed.error}")

    def handle_pending(self, opts):
        import time

        from ...queue import process_pending

        manifest = Path(opts["bundle"]) if opts["bundle"] else None
        while True:
            handled = process_pending(manifest)
            if handled:
                self.stdout.write(f"{handled} aanvragen verwerkt.")
            # The PDF reports people asked for (portal/report_jobs.py), one per pass
            # while watching so new scans do not wait behind a burst of reports.
            from werklandschap.portal.report_jobs import run_pending_reports

            reports = run_pending_reports(limit=1 if opts["watch"] else None)
            if reports:
                self.stdout.write(f"{reports} rapporten gemaakt.")
            if not opts["watch"]:
                return
            time.sleep(2)
