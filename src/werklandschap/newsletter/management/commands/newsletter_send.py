"""Send (or continue sending) newsletters: every issue being sent, or one by id.

Safe to run again at any time, also from cron while the admin sends batches:
whoever already has a record for an issue is never mailed it again
(``newsletter.sending``).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from werklandschap.newsletter import sending, services
from werklandschap.newsletter.models import Issue


class Command(BaseCommand):
    help = "Send newsletter issues in batches, continuing where an earlier run stopped."

    def add_arguments(self, parser):
        parser.add_argument("issue", nargs="?", type=int, help="id of one issue (also a draft)")
        parser.add_argument("--batches", type=int, default=None, help="stop after this many")

    def handle(self, *args, issue=None, batches=None, **options):
        purged = services.purge_stale_requests()
        if purged:
            self.stdout.write(f"{purged} unconfirmed address(es) past their link deleted")
        if issue is not None:
            issues = list(Issue.objects.filter(pk=issue))
            if not issues:
                raise CommandError(f"no newsletter issue {issue}")
        else:
            issues = list(Issue.objects.filter(status=Issue.Status.SENDING).order_by("pk"))
        for item in issues:
            result = sending.send(item, max_batches=batches)
            self.stdout.write(
                f"issue {item.pk}: sent {result.sent}, failed {result.failed}, "
                f"remaining {result.remaining}"
            )
