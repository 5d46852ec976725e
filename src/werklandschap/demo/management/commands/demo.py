"""werklandschap demo: set up and start the platform with synthetic demo data."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from werklandschap.community.demo import create_demo_events, delete_demo_events
from werklandschap.demo.generator import (
    DEMO_PASSWORD,
    create_demo_parks,
    create_demo_signups,
    create_demo_users,
    delete_demo_data,
    scan_demo_parks,
)
from werklandschap.demo.support_demo import create_demo_questions
from werklandschap.knowledge.demo import create_demo_innovations, delete_demo_innovations
from werklandschap.toolbox.demo import create_demo_toolbox
from werklandschap.vouchers.demo import create_demo_vouchers


class Command(BaseCommand):
    help = (
        "Zet de demo op: database bijwerken, referentiegegevens en grenzen laden, synthetische "
        "demoterreinen en demo-accounts maken, nulmetingen berekenen, en de webserver starten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="alleen opzetten, niet starten")
        parser.add_argument("--reset", action="store_true", help="demoterreinen opnieuw maken")
        parser.add_argument("--no-scan", action="store_true", help="geen nulmetingen berekenen")

    def handle(self, host, port, no_serve, reset, no_scan, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError(
                "De demo maakt accounts met een bekend wachtwoord en draait daarom alleen met "
                "de ontwikkelinstellingen (DEMO_ALLOWED), niet in productie."
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", verbosity=0)
        call_command("load_boundaries", verbosity=0)
        if reset:
            delete_demo_data()
            delete_demo_events()
            delete_demo_innovations()
        parks = create_demo_parks()
        accounts = create_demo_users()
        create_demo_signups()
        create_demo_questions()
        vouchers = create_demo_vouchers()
        create_demo_events()
        create_demo_innovations()
        create_demo_toolbox()
        self.stdout.write(f"{parks} synthetische demoterreinen; nulmetingen berekenen ...")
        scanned = 0 if no_scan else scan_demo_parks(reset=reset)
        self.stdout.write(
            self.style.SUCCESS(f"Demo klaar: {parks} terreinen, {scanned} met een nulmeting.")
        )
        url = f"http://{host}:{port}/"
        lines = [
            "",
            f"  Open: {url}",
            f"  Beheer: {url}beheer/",
            f"  Demo-accounts (wachtwoord voor alle: {DEMO_PASSWORD}):",
            *(f"    {name:<14} rol: {role}" for name, role in accounts.items()),
            f"    {'begeleider':<14} procesbegeleider van {vouchers} demovouchers",
            "",
        ]
        self.stdout.write("\n".join(lines))
        if not no_serve:
            call_command("serve", host=host, port=port)
