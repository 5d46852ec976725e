"""Create the toolbox steps of data/toolbox/steps.yaml that do not exist yet.

Steps already in the database are the programme team's and are never
overwritten; run it after a deployment that adds a step to the file.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from werklandschap.toolbox.services import load_steps


class Command(BaseCommand):
    help = "Load the toolbox's step plan from its data file (only steps that are missing)."

    def handle(self, *args, **options):
        created = load_steps()
        self.stdout.write(f"toolbox: {created} step(s) created")
