from django import template

from werklandschap.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Markdown written by the team as sanitised HTML (``lib.markdown``)."""
    return render_markdown(text)
