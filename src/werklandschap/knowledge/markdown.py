"""Entries' bodies as Markdown: rendered by the site's one sanitising renderer
(``lib/markdown.py``: markdown-it with raw HTML off, then the nh3 allow-list; only
http, https and mailto links; headings from h2 so the page keeps one h1), and as
plain words for the search index.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

from werklandschap.lib.markdown import render_markdown

__all__ = ["plain_text", "render_markdown"]

_plain = MarkdownIt("commonmark", {"html": False})


def plain_text(text: str) -> str:
    """The words of the Markdown without its markup, for the search index."""
    return html.unescape(nh3.clean(_plain.render(text or ""), tags=set()))
