"""Footer links that come from the settings (the source code's address)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def source_code_url() -> str:
    """SOURCE_CODE_URL, or "" when the code is not published at an address yet."""
    return settings.SOURCE_CODE_URL
