"""Entries' bodies as Markdown, rendered to HTML that cannot run anything.

Two independent layers, so one mistake is not enough:

1. markdown-it-py with its ``js-default`` preset (CommonMark; raw HTML off, so
   ``<script>`` or ``<img onerror>`` in the text is shown as text; its link
   validator drops ``javascript:``, ``vbscript:``, ``file:`` and non-image
   ``data:`` links);
2. nh3 (the Ammonia sanitiser) with an allow-list of the tags CommonMark
   produces, links limited to http, https and mailto, every link given
   ``rel="nofollow noopener noreferrer"``; images are dropped (an entry's
   images are its own checked uploads, not links to elsewhere, which the
   site's CSP would block anyway).

Headings are demoted by one level (an entry's ``#`` becomes ``<h2>``) so the
page keeps one ``<h1>``.
"""

from __future__ import annotations

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _demote(html: str) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 1)}>", html)


def render_markdown(text: str) -> SafeString:
    """Safe HTML for ``text`` (Markdown): no raw HTML, no scripts, only http(s)/mailto links."""
    rendered = _demote(_md.render(text or ""))
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def plain_text(text: str) -> str:
    """The words of the Markdown without its markup, for the search index and summaries."""
    return html.unescape(nh3.clean(_md.render(text or ""), tags=set()))
