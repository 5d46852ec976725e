"""``{% voucher_panel park %}``: the voucher panel of a park's dashboard (vouchers/park_panel.py).

A tag, so the dashboard's view needs no change: the panel asks for the
request's user itself and renders ``vouchers/_park_panel.html``.
"""

from django import template

from werklandschap.vouchers.park_panel import park_panel

register = template.Library()


@register.inclusion_tag("vouchers/_park_panel.html", takes_context=True)
def voucher_panel(context, park):
    request = context.get("request")
    return park_panel(park, getattr(request, "user", None))
