"""werklandschap serve: run the web app under gunicorn, static files by WhiteNoise."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("werklandschap")


class Command(BaseCommand):
    help = "Start de webserver (gunicorn) met de instellingen van het platform."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.SERVE_WORKERS,
            help=f"aantal werkprocessen (SERVE_WORKERS, nu {settings.SERVE_WORKERS})",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SERVE_THREADS,
            help=f"threads per werkproces (SERVE_THREADS, nu {settings.SERVE_THREADS})",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=settings.SERVE_TIMEOUT,
            help=(
                "seconden voordat een werkproces dat niet reageert wordt herstart "
                f"(SERVE_TIMEOUT, nu {settings.SERVE_TIMEOUT})"
            ),
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help=(
                "ontwikkelinstellingen (DEBUG aan, e-mail naar de console) in plaats van de "
                "productie-instellingen; alleen op de eigen machine"
            ),
        )

    def handle(self, host, port, workers, threads, timeout, **options):
        for name, value in (("--workers", workers), ("--threads", threads), ("--timeout", timeout)):
            if value < 1:
                raise CommandError(f"{name} moet minstens 1 zijn.")
        from gunicorn.app.base import BaseApplication

        from werklandschap.conf.wsgi import application

        # Collect only where static files are served from a collected folder: the
        # development settings have none (WhiteNoise reads the finders), whatever DEBUG.
        if not settings.DEBUG and settings.STATIC_ROOT:
            from werklandschap.front.static import collect_static_if_changed

            collect_static_if_changed()
        if settings.SCAN_WORKER:
            from werklandschap.scans.queue import start_background_worker

            # In the gunicorn master: workers are forked without this thread.
            start_background_worker()

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                # More than one thread makes gunicorn use its gthread worker.
                self.cfg.set("threads", threads)
                self.cfg.set("timeout", timeout)
                self.cfg.set("accesslog", "-")

            def load(self):
                return application

        self.stdout.write(f"Werklandschap draait op http://{host}:{port}/  (Ctrl+C stopt)")
        Server().run()
