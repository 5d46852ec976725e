"""Pages of the Innovation database: search, an entry, submitting, moderating, versions.

Thin: the rules are in ``services`` and ``search``. Unpublished entries answer
404 to everyone but their submitter and the programme team, so their existence
is not given away.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werklandschap.accounts.policies import can_moderate_innovations
from werklandschap.lib.workflow import TransitionRefused

from . import diff, search, services
from .forms import EntryForm, StepForm
from .markdown import render_markdown
from .models import Entry, EntryFile
from .vocabulary import load_vocabulary
from .workflow import ACTIONS, TABLE, Status

logger = logging.getLogger("werklandschap.knowledge")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _entry_for(request: HttpRequest, pk: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("park", "contact_organisation", "submitted_by"), pk=pk
    )
    if not services.may_view(request.user, entry):
        raise Http404
    return entry


def _require_team(request: HttpRequest) -> None:
    if not can_moderate_innovations(request.user):
        raise PermissionDenied


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    result = search.run(request.GET)
    return render(
        request,
        "knowledge/list.html",
        {
            "result": result,
            "vocabulary": load_vocabulary(),
            "may_submit": services.may_submit(request.user),
            "clear_url": search.search_url("", {}),
            "query_only_url": search.search_url(result.query, {}),
            "prev_url": _page_url(request, result.page - 1) if result.page > 1 else "",
            "next_url": _page_url(request, result.page + 1) if result.page < result.pages else "",
        },
    )


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["pagina"] = str(page)
    return f"{request.path}?{params.urlencode()}"


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Search-as-you-type: titles and links for the first few matches (JSON)."""
    return JsonResponse({"results": search.suggest(request.GET.get("q", ""))})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    vocabulary = load_vocabulary()
    moves = services.allowed_moves(request.user, entry)
    return render(
        request,
        "knowledge/detail.html",
        {
            "entry": entry,
            "body_html": render_markdown(entry.body),
            "lessons_html": render_markdown(entry.lessons),
            "kind": vocabulary.label("types", entry.kind),
            "themes": [vocabulary.label("themes", t) for t in entry.themes],
            "directions": [vocabulary.label("directions", d) for d in entry.directions],
            "scale": vocabulary.label("scales", entry.scale),
            "origin": vocabulary.label("origins", entry.origin),
            "evidence": vocabulary.label("evidence", entry.evidence),
            "measures": [(m, search.measure_name(m)) for m in entry.measures],
            "images": [f for f in entry.files.all() if f.kind == EntryFile.Kind.IMAGE],
            "documents": [f for f in entry.files.all() if f.kind == EntryFile.Kind.DOCUMENT],
            "moves": [(t, ACTIONS[t], TABLE.rule_for(entry.status, t)) for t in moves],
            "may_edit": services.may_edit(request.user, entry),
            "is_team": can_moderate_innovations(request.user),
            "events": entry.events.select_related("by")
            if services.actors_of(request.user, entry)
            else [],
            "step_form": StepForm(),
        },
    )


def _save_form(request: HttpRequest, form: EntryForm, entry: Entry | None) -> Entry | None:
    """Save the entry and its upload; None (with the form's errors set) when refused."""
    try:
        saved = services.save_entry(
            entry, form.content(), by=request.user, note=_("Ingediend") if entry is None else ""
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    upload = form.cleaned_data.get("upload")
    if upload:
        try:
            services.store_file(
                saved, upload, by=request.user, description=form.cleaned_data["upload_description"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if not services.may_submit(request.user):
        raise PermissionDenied
    form = EntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        entry = _save_form(request, form, None)
        if entry is not None:
            logger.info("innovation %s submitted by %s", entry.pk, request.user.pk)
            messages.success(
                request,
                _("Dank u. Het programmateam bekijkt uw innovatie en publiceert haar daarna."),
            )
            return redirect(entry)
    return render(
        request,
        "knowledge/form.html",
        {"form": form, "entry": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    if not services.may_edit(request.user, entry):
        raise PermissionDenied
    form = EntryForm(
        request.POST or None, request.FILES or None, initial=EntryForm.initial_for(entry)
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, entry)
        if saved is not None:
            messages.success(request, _("De wijzigingen zijn opgeslagen als nieuwe versie."))
            return redirect(saved)
    return render(
        request,
        "knowledge/form.html",
        {"form": form, "entry": entry, "files": entry.files.all()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for(request, pk)
    if not services.actors_of(request.user, entry):
        raise PermissionDenied
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een stap."))
        return redirect(entry)
    try:
        services.move(
            entry,
            form.cleaned_data["target"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            base_url=_base_url(request),
        )
    except TransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect(entry)
    messages.success(
        request,
        _("De innovatie is nu: %(status)s.") % {"status": TABLE.label(form.cleaned_data["target"])},
    )
    if can_moderate_innovations(request.user) and request.POST.get("next") == "queue":
        return redirect("knowledge:queue")
    return redirect(entry)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require_team(request)
    waiting = services.awaiting_moderation().select_related("submitted_by", "contact_organisation")
    recent = Entry.objects.filter(status__in=(Status.RETURNED, Status.UNPUBLISHED)).order_by(
        "-updated_at"
    )[:20]
    return render(
        request,
        "knowledge/queue.html",
        {
            "waiting": waiting,
            "recent": recent,
            "published": Entry.objects.filter(status=Status.PUBLISHED).count(),
        },
    )


@login_required
@require_GET
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved version of an entry and the differences between two of them (team only)."""
    _require_team(request)
    entry = get_object_or_404(Entry, pk=pk)
    versions = list(entry.revisions.select_related("created_by").order_by("number"))
    numbers = [v.number for v in versions]

    def pick(name: str, default: int | None) -> int | None:
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return value if value in numbers else default

    newest = numbers[-1] if numbers else None
    b = pick("b", newest)
    a = pick("a", numbers[-2] if len(numbers) > 1 else newest)
    by_number = {v.number: v for v in versions}
    rows = (
        diff.compare(by_number[a].content, by_number[b].content)
        if a is not None and b is not None
        else []
    )
    return render(
        request,
        "knowledge/revisions.html",
        {"entry": entry, "versions": versions, "a": a, "b": b, "rows": rows},
    )


@require_GET
def file(request: HttpRequest, pk: int) -> FileResponse:
    """A document (as a download) or an image of an entry the asker may see."""
    item = get_object_or_404(EntryFile.objects.select_related("entry"), pk=pk)
    if not services.may_view(request.user, item.entry):
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=item.kind == EntryFile.Kind.DOCUMENT,
        filename=item.name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
