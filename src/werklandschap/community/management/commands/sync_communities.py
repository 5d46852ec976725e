"""werklandschap manage sync_communities: a Community of Practice per directed region."""

from django.core.management.base import BaseCommand

from werklandschap.community.services import ensure_communities


class Command(BaseCommand):
    help = (
        "Maak de landelijke praktijkgemeenschap en een praktijkgemeenschap voor elke regio met "
        "een regisseur (na load-reference; veilig om vaker te draaien)."
    )

    def handle(self, **options):
        self.stdout.write(f"{ensure_communities()} praktijkgemeenschappen.")
