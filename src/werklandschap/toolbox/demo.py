"""Demo content of the toolbox: the steps of the data file and two example templates.

The steps come from ``data/toolbox/steps.yaml`` through ``services.load_steps``
(as in production); the templates are PDFs rendered from the file's
``demo_templates`` text (marked as examples in their own text) and stored
through the same checks as an upload by the team. Running it again adds
nothing; ``delete_demo_toolbox`` removes the demo templates only.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils.html import escape

from werklandschap.lib.markdown import render_markdown
from werklandschap.support import attachments

from . import services
from .models import Step, TemplateFile

_CSS = "body { font-family: sans-serif; font-size: 11pt; } h1 { font-size: 16pt; }"


def _pdf(title: str, text: str) -> bytes:
    from weasyprint import HTML

    from werklandschap.support.one_page import refusing_url_fetcher

    html = (
        f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{_CSS}</style></head><body>{render_markdown(text)}</body></html>"
    )
    return HTML(string=html, url_fetcher=refusing_url_fetcher()).write_pdf()


def create_demo_toolbox() -> int:
    """Load the steps and attach the demo templates; returns how many steps exist."""
    services.load_steps()
    for row in services.read_data().get("demo_templates") or []:
        step = Step.objects.filter(key=row["step"]).first()
        if step is None or step.templates.filter(title_nl=row["title_nl"]).exists():
            continue
        content = _pdf(row["title_nl"], row["text"])
        checked = attachments.check_attachment(
            content, row["file_name"], limits=services.upload_rules()
        )
        item = TemplateFile(
            step=step,
            title_nl=row["title_nl"],
            title_en=row.get("title_en", ""),
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        item.file.save(checked.name, ContentFile(content), save=False)
        item.save()
    return Step.objects.count()


def delete_demo_toolbox() -> None:
    titles = [row["title_nl"] for row in services.read_data().get("demo_templates") or []]
    for item in TemplateFile.objects.filter(title_nl__in=titles):
        item.file.delete(save=False)
        item.delete()
