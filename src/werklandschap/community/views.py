"""Pages of communities and events. Thin: forms check input, ``services`` decides,
``access`` says who may.

Events and communities are public; a draft event is a 404 for anyone but its
organisers. The online link of an event is put in the page (and the calendar
file) only for someone with a confirmed place and for the organisers. The
member list of a community is for its members, coordinators and the team.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werklandschap.lib.http import base_url, form_error_codes
from werklandschap.registry.models import Region

from . import access, exports, ics, services
from .forms import CancelEventForm, DecideForm, EventForm, JoinForm
from .models import Community, Event, EventKind, Membership, Registration, RegistrationStatus
from .workflow import MembershipStatus

logger = logging.getLogger("werklandschap.community")

PAGE_SIZE = 50


# --------------------------------------------------------------------------- events


def events(request: HttpRequest) -> HttpResponse:
    """Upcoming (or past) events, filtered by kind and region; a shareable URL."""
    when = "past" if request.GET.get("wanneer") == "voorbij" else "upcoming"
    listed = services.past() if when == "past" else services.upcoming()
    kind = request.GET.get("soort", "")
    if kind in EventKind.values:
        listed = listed.filter(kind=kind)
    region = Region.objects.filter(slug=request.GET.get("regio", "")).first()
    if region is not None:
        listed = listed.filter(community__region=region)
    elif request.GET.get("regio") == "landelijk":
        listed = listed.filter(community__national=True)
    return render(
        request,
        "community/events.html",
        {
            "events": _with_my_status(request, services.with_places(listed)[:PAGE_SIZE]),
            "when": when,
            "is_past": when == "past",
            "kinds": EventKind.choices,
            "kind": kind,
            "regions": Region.objects.filter(community__isnull=False).order_by("name"),
            "region_slug": "landelijk"
            if request.GET.get("regio") == "landelijk"
            else (region.slug if region else ""),
            "can_create": access.coordinated_communities(request.user).exists(),
        },
    )


def _with_my_status(request: HttpRequest, events) -> list[Event]:
    """The events, each with ``my_status``: the visitor's registration status or ''."""
    events = list(events)
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            Registration.objects.filter(
                user=request.user, event__in=[e.pk for e in events]
            ).values_list("event_id", "status")
        )
    for ev in events:
        ev.my_status = mine.get(ev.pk, "")
    return events


def _visible_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("community", "community__region"), pk=pk)
    if not access.can_see_event(request.user, event):
        raise Http404
    return event


def _registration(request: HttpRequest, event: Event) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=request.user).first()


def _waiting_position(registration: Registration | None) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
        listed_at__lt=registration.listed_at,
    ).count()
    return ahead + 1


def event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    registration = _registration(request, event)
    organiser = access.can_organise(request.user, event)
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    now = timezone.now()
    return render(
        request,
        "community/event.html",
        {
            "event": event,
            "registration": registration,
            "confirmed": confirmed,
            "position": _waiting_position(registration),
            # The online link: only for a confirmed place and the organisers.
            "online_url": event.online_url if (confirmed or organiser) else "",
            "places": services.places(event),
            "organiser": organiser,
            "may_register": access.may_register(request.user, event),
            "started": event.has_started(now),
            "open": event.status == "published" and not event.has_started(now),
        },
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    try:
        registration = services.register(event, request.user, base_url=base_url(request))
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("U bent aangemeld. U krijgt een bevestiging per e-mail."))
        else:
            messages.info(
                request,
                _(
                    "De bijeenkomst is vol: u staat op de wachtlijst. Komt er een plaats vrij, "
                    "dan krijgt u die automatisch."
                ),
            )
    return redirect("community:event", pk=event.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    registration = _registration(request, event)
    if registration is None:
        raise Http404
    try:
        services.cancel(registration, base_url=base_url(request))
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("U bent afgemeld."))
    return redirect("community:event", pk=event.pk)


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The calendar file; with the online link only for a confirmed place or an organiser."""
    event = _visible_event(request, pk)
    registration = _registration(request, event)
    include = access.can_organise(request.user, event) or (
        registration is not None and registration.status == RegistrationStatus.CONFIRMED
    )
    page_url = request.build_absolute_uri(reverse("community:event", kwargs={"pk": event.pk}))
    response = HttpResponse(
        ics.event_calendar(event, page_url=page_url, include_online_url=include),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{event.pk}.ics"'
    if include:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    registrations = (
        Registration.objects.filter(user=request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "event__community")
        .order_by("event__starts_at")
    )
    now = timezone.now()
    upcoming = [r for r in registrations if r.event.ends_at >= now]
    past = [r for r in registrations if r.event.ends_at < now][::-1]
    return render(
        request,
        "community/my_registrations.html",
        {
            "upcoming": upcoming,
            "past": past,
            "memberships": Membership.objects.filter(user=request.user)
            .exclude(status=MembershipStatus.LEFT)
            .select_related("community"),
        },
    )


# --------------------------------------------------------------------------- organisers


def _organised_event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("community", "community__region"), pk=pk)
    if not access.can_organise(request.user, event):
        raise PermissionDenied
    return event


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's page: attendees, waiting list, exports, attendance, publish, cancel."""
    event = _organised_event(request, pk)
    registrations = list(
        event.registrations.select_related("user", "user__organisation").order_by(
            "listed_at", "registered_at", "id"
        )
    )
    return render(
        request,
        "community/manage.html",
        {
            "event": event,
            "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
            "places": services.places(event),
            "started": event.has_started(),
            "cancel_form": CancelEventForm(),
            "invitations": event.invitations.count(),
            "invitations_sent": event.invitations.exclude(sent_at=None).count(),
        },
    )


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    event = _organised_event(request, pk)
    if fmt == "csv":
        response = HttpResponse(
            exports.attendees_csv(event), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.attendees_xlsx(event),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{event.pk}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return export(request, pk, "csv")


def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return export(request, pk, "xlsx")


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _organised_event(request, pk)
    ids = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
    try:
        came = services.record_attendance(event, ids, by=request.user)
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Aanwezigheid opgeslagen: %(n)s aanwezig.") % {"n": came})
    return redirect("community:manage", pk=event.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _organised_event(request, pk)
    try:
        services.publish(event, by=request.user, base_url=base_url(request))
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("De bijeenkomst is gepubliceerd."))
    return redirect("community:manage", pk=event.pk)


@login_required
@require_POST
def cancel_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = _organised_event(request, pk)
    form = CancelEventForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_event(
                event,
                by=request.user,
                reason=form.cleaned_data["reason"],
                base_url=base_url(request),
            )
        except services.CommunityError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("De bijeenkomst gaat niet door; de deelnemers krijgen bericht.")
            )
    else:
        messages.error(request, _("Geef een reden; de deelnemers krijgen die te lezen."))
    return redirect("community:manage", pk=event.pk)


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new event (as a draft) or changes to one, by its community's coordinators."""
    communities = access.coordinated_communities(request.user).select_related("region")
    if not communities.exists():
        raise PermissionDenied
    instance = _organised_event(request, pk) if pk is not None else None
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST, instance=instance, communities=communities)
        if form.is_valid():
            try:
                saved = services.save_event(
                    form.save(commit=False),
                    by=request.user,
                    changed=set(form.changed_data),
                    base_url=base_url(request),
                )
            except services.CommunityError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("De bijeenkomst is opgeslagen."))
                return redirect("community:manage", pk=saved.pk)
        logger.info("event form refused: %s", form_error_codes(form))
        status = 400
    else:
        form = EventForm(instance=instance, communities=communities)
    return render(request, "community/edit.html", {"form": form, "event": instance}, status=status)


# --------------------------------------------------------------------------- communities


def communities(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Q

    listed = Community.objects.select_related("region", "region__director").annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.APPROVED))
    )
    return render(request, "community/communities.html", {"communities": listed})


def _community_context(request: HttpRequest, community: Community, form=None) -> dict:
    user = request.user
    now = timezone.now()
    return {
        "community": community,
        "membership": services.membership_of(user, community),
        "members": list(services.members(community))
        if access.can_see_members(user, community)
        else None,
        "member_count": services.members(community).count(),
        "coordinator": access.is_coordinator(user, community),
        "pending": community.memberships.filter(status=MembershipStatus.REQUESTED).count(),
        "form": form or JoinForm(),
        "events": services.with_places(services.upcoming(now).filter(community=community))[:20],
    }


def community(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(Community.objects.select_related("region"), slug=slug)
    return render(request, "community/community.html", _community_context(request, community))


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(Community, slug=slug)
    form = JoinForm(request.POST)
    if not form.is_valid():
        logger.info("join form refused: %s", form_error_codes(form))
        return render(
            request,
            "community/community.html",
            _community_context(request, community, form),
            status=400,
        )
    try:
        services.request_membership(
            community, request.user, **form.cleaned_data, base_url=base_url(request)
        )
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Uw aanvraag is verstuurd. De coördinator beoordeelt die en u hoort het per e-mail."),
        )
    return redirect("community:community", slug=community.slug)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(Community, slug=slug)
    membership = services.membership_of(request.user, community)
    if membership is None:
        raise Http404
    try:
        services.move_membership(membership, MembershipStatus.LEFT, by=request.user)
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("U bent geen lid meer van deze praktijkgemeenschap."))
    return redirect("community:community", slug=community.slug)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The coordinator's queue of membership requests (of every community they coordinate)."""
    coordinated = access.coordinated_communities(request.user)
    if not coordinated.exists():
        raise PermissionDenied
    return render(
        request,
        "community/queue.html",
        {
            "requests": services.pending_requests(request.user),
            "communities": list(coordinated.select_related("region").order_by("-national", "name")),
            "form": DecideForm(),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("community"), pk=pk)
    if not access.is_coordinator(request.user, membership.community):
        raise PermissionDenied
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.move_membership(
                membership,
                form.cleaned_data["decision"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                base_url=base_url(request),
            )
        except services.CommunityError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Het besluit is opgeslagen en de aanvrager krijgt bericht.")
            )
    else:
        messages.error(request, _("Kies toelaten of afwijzen."))
    return redirect("community:queue")
