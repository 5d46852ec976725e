"""The ``werklandschap`` command: the operator's jobs, in plain words.

Each sub-command is a Django management command (so it uses exactly the web
app's database settings); ``werklandschap manage ...`` reaches any other one
(migrate, createsuperuser, check, ...). Exit code 0 on success, 1 on failure.
"""

from __future__ import annotations

import contextlib
import os
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "demo",
        "Zet de demo op (SQLite, synthetische terreinen, demo-accounts) en start hem.",
    ),
    "serve": ("serve", "Start de webserver (gunicorn) op het ingestelde adres."),
    "load-reference": ("load_reference", "Laad referentiegegevens: regio's, organisaties, doelen."),
    "load-boundaries": ("load_boundaries", "Laad provincie- en gemeentegrenzen (CBS GeoPackage)."),
    "import-parks": ("import_parks", "Importeer terreinen uit GeoJSON, GeoPackage of Shapefile."),
    "scan": ("scan", "Bereken nulmetingen: van een bestand, of --all voor het register."),
    "support-digest": (
        "support_digest",
        "Mail regisseurs en programmateam de vragen over of bijna op termijn (dagelijks).",
    ),
    "manage": ("", "Elk ander Django-beheercommando, b.v. 'werklandschap manage migrate'."),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "Gebruik: werklandschap COMMANDO [opties]",
        "",
        "Het platform van Werklandschappen van de Toekomst. Commando's:",
        "",
        *(f"  {name.ljust(width)}  {text}" for name, (_cmd, text) in COMMANDS.items()),
        "",
        "'werklandschap COMMANDO --help' toont de opties van een commando.",
        "Database: DATABASE_URL (standaard SQLite in ./var); instellingen: "
        "DJANGO_SETTINGS_MODULE (standaard werklandschap.conf.settings.dev; "
        "voor 'serve' ...production, tenzij 'serve --dev').",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    if args[0] in {"--version", "version"}:
        from werklandschap import __version__

        print(f"werklandschap {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"Onbekend commando: {name}\n\n{_usage()}", file=sys.stderr)
        return 2
    registry_scan = {"--all", "--pending", "--resume", "--park"} & {a.split("=")[0] for a in rest}
    if name == "scan" and not registry_scan and not _asks_help(rest):
        # Scanning a file needs no database: go straight to the engine.
        from werklandschap.scanengine.cli import main as scan_main

        return scan_main(rest)
    if name == "scan" and _asks_help(rest) and not registry_scan:
        # Both ways of scanning: a file (engine, no database) and the registry.
        from werklandschap.scanengine.cli import main as scan_main

        print("== werklandschap scan: een bestand met terreinen (zonder database) ==\n")
        with contextlib.suppress(SystemExit):
            scan_main(["--help"])
        print("\n== werklandschap scan --all | --park | --pending | --resume: het register ==\n")
    problem = _choose_settings(name, rest)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module now
    except ImproperlyConfigured as exc:
        # A missing SECRET_KEY, mail server, ...: one plain sentence, no traceback.
        print(exc, file=sys.stderr)
        return 1

    django_argv = ["werklandschap", *(rest if name == "manage" else [COMMANDS[name][0], *rest])]
    try:
        execute_from_command_line(django_argv)
    except SystemExit as exc:  # Django exits 1 on CommandError, after printing it
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except KeyboardInterrupt:
        return 130
    return 0


DEV_SETTINGS = "werklandschap.conf.settings.dev"
PRODUCTION_SETTINGS = "werklandschap.conf.settings.production"


def _choose_settings(name: str, rest: list[str]) -> str:
    """Set DJANGO_SETTINGS_MODULE unless the environment already does.

    ``serve`` runs the public site, so it starts with the production settings
    (DEBUG off, secrets and a mail server required) unless ``--dev`` asks for
    the development ones; ``demo`` (what scripts/demo runs) and the operator's
    other commands default to development settings. Returns an error message
    when ``--dev`` contradicts an explicit DJANGO_SETTINGS_MODULE.
    """
    explicit = os.environ.get("DJANGO_SETTINGS_MODULE")
    dev = name == "serve" and "--dev" in rest
    if explicit:
        if dev and explicit != DEV_SETTINGS:
            return (
                f"--dev en DJANGO_SETTINGS_MODULE={explicit} spreken elkaar tegen; "
                "kies een van beide."
            )
        return ""
    production = name == "serve" and not dev and not _asks_help(rest)
    os.environ["DJANGO_SETTINGS_MODULE"] = PRODUCTION_SETTINGS if production else DEV_SETTINGS
    return ""


def _asks_help(rest: list[str]) -> bool:
    return "-h" in rest or "--help" in rest


if __name__ == "__main__":
    sys.exit(main())
