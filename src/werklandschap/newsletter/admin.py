"""The programme team writes and sends a newsletter in the admin.

An issue is written in Dutch (and English) Markdown, previewed, then sent with
the action "Versturen (volgende batch)": one batch of NEWSLETTER_BATCH_SIZE
per click, so the request stays short; the command ``newsletter_send``
continues every issue being sent to the end (cron or the server's queue).
Once sending has started the issue is read-only. Subscribers are listed
read-only: consent is given and withdrawn by the people themselves (the
form's double opt-in, the portal, the unsubscribe link), never by the team.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from werklandschap.lib.http import base_url
from werklandschap.lib.markdown import render_markdown

from . import sending
from .models import Delivery, Issue, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "source", "language", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "source", "language"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "status",
        "source",
        "language",
        "user",
        "created_at",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    exclude = ["confirm_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What was sent to whom: read-only, filtered per issue (an issue has thousands)."""

    list_display = ["subscriber", "issue", "language", "status", "claimed_at", "sent_at", "error"]
    list_filter = ["status", "issue"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "issue"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject_nl", "status", "created_at", "started_at", "finished_at", "counts"]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "counts",
        "preview_nl",
        "preview_en",
    ]
    fieldsets = [
        (_("Nederlands"), {"fields": ["subject_nl", "body_nl", "preview_nl"]}),
        (_("Engels"), {"fields": ["subject_en", "body_en", "preview_en"]}),
        (
            _("Versturen"),
            {
                "fields": [
                    "status",
                    "counts",
                    "created_by",
                    "created_at",
                    "started_at",
                    "finished_at",
                ]
            },
        ),
    ]
    actions = ["send_next_batch"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
                n_failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
                n_claimed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.CLAIMED)),
            )
        )

    @admin.display(description=_("verstuurd / mislukt / onzeker"))
    def counts(self, obj: Issue) -> str:
        counts = [getattr(obj, name, 0) or 0 for name in ("n_sent", "n_failed", "n_claimed")]
        if not obj.pk:
            return ""
        url = reverse("admin:newsletter_delivery_changelist") + f"?issue__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, " / ".join(str(n) for n in counts))

    @admin.display(description=_("voorbeeld (na opslaan)"))
    def preview_nl(self, obj: Issue) -> str:
        return render_markdown(obj.body_nl) if obj.pk else ""

    @admin.display(description=_("voorbeeld (na opslaan)"))
    def preview_en(self, obj: Issue) -> str:
        return render_markdown(obj.body_for("en")) if obj.pk else ""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False  # what was (partly) sent stays as it was sent
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Versturen (volgende batch)"), permissions=["send"])
    def send_next_batch(self, request, queryset):
        for issue in queryset:
            if issue.status == Issue.Status.SENT:
                self.message_user(
                    request, _("'%(issue)s' is al verstuurd.") % {"issue": issue}, messages.INFO
                )
                continue
            result = sending.send(issue, max_batches=1, base_url=base_url(request))
            self.message_user(
                request,
                ngettext(
                    "'%(issue)s': %(sent)s e-mail verstuurd, %(failed)s mislukt, "
                    "nog %(remaining)s te gaan.",
                    "'%(issue)s': %(sent)s e-mails verstuurd, %(failed)s mislukt, "
                    "nog %(remaining)s te gaan.",
                    result.sent,
                )
                % {
                    "issue": issue,
                    "sent": result.sent,
                    "failed": result.failed,
                    "remaining": result.remaining,
                },
                messages.SUCCESS if not result.failed else messages.WARNING,
            )

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("newsletter.send_issue")
