"""Public pages of the toolbox: the step plan as a path, and a page per step."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import services
from .models import Step, TemplateFile


def _published():
    return Step.objects.filter(published=True).order_by("order", "key")


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    steps = list(_published())
    support = services.process_support()
    return render(
        request,
        "toolbox/overview.html",
        {
            "steps": steps,
            "process_support": support,
            "process_partners": services.process_support_partners(support),
        },
    )


@require_GET
def step(request: HttpRequest, slug: str) -> HttpResponse:
    steps = list(_published())
    current = next((s for s in steps if s.key == slug), None)
    if current is None:
        raise Http404
    index = steps.index(current)
    names = services.measure_names()
    return render(
        request,
        "toolbox/step.html",
        {
            "step": current,
            "number": index + 1,
            "steps": steps,
            "previous": steps[index - 1] if index > 0 else None,
            "next": steps[index + 1] if index + 1 < len(steps) else None,
            "chain": [services.CHAIN[p] for p in current.chain if p in services.CHAIN],
            "measures": [(key, names[key]) for key in current.measures if key in names],
            "templates": list(current.templates.order_by("order", "id")),
            "partners": services.partners_for(current),
            "ask_url": services.ask_url(current),
            "innovations": services.innovations_for(current),
        },
    )


@require_GET
def template_download(request: HttpRequest, pk: int) -> FileResponse:
    """A template of a published step, always as a download with its sniffed type."""
    item = get_object_or_404(TemplateFile, pk=pk, step__published=True)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
