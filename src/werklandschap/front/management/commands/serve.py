"""werklandschap serve: run the web app under gunicorn, static files by WhiteNoise."""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger("werklandschap")


class Command(BaseCommand):
    help = "Start de webserver (gunicorn) met de instellingen van het platform."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
        parser.add_argument("--workers", type=int, default=2, help="aantal workers (standaard 2)")

    def handle(self, host, port, workers, **options):
        from gunicorn.app.base import BaseApplication

        from werklandschap.conf.wsgi import application

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        if settings.SCAN_WORKER:
            from werklandschap.scans.queue import start_background_worker

            # In the gunicorn master: workers are forked without this thread.
            start_background_worker()

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")

            def load(self):
                return application

        self.stdout.write(f"Werklandschap draait op http://{host}:{port}/  (Ctrl+C stopt)")
        Server().run()
