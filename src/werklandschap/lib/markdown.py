"""Markdown written by the programme team, rendered to HTML that is safe to show.

Two layers, so neither alone has to be perfect:

1. markdown-it-py (CommonMark) with raw HTML switched off: ``<script>`` in the
   text is shown as text, never passed through;
2. nh3 (Ammonia) keeps only the tags and attributes below and only http(s)
   and mailto links, so a ``javascript:`` link or an event handler that slipped
   through the first layer is removed. No ``style`` attribute survives (the
   site's CSP forbids inline style anyway) and links get
   ``rel="noopener noreferrer nofollow"``.

Headings start at level 2: the page or mail around the text owns its h1, so
``#`` becomes ``<h2>``; ``##`` stays ``<h2>`` and deeper levels stop at ``<h4>``.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False}).enable("table")


def _clamp_headings(tokens) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(max(int(token.tag[1]), 2), 4)
            token.tag = f"h{level}"


def render_markdown(text: str | None) -> SafeString:
    """``text`` (Markdown) as sanitised HTML, ready for a template or an e-mail."""
    tokens = _parser.parse(text or "")
    _clamp_headings(tokens)
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
