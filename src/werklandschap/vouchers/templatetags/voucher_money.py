"""``{{ cents|euros }}``: an amount in cents as people read it (``€ 15.000,00``).

``{{ pct|share }}``: a share such as co-financing realised, in the page's language
through ``lib.numbers.percent`` like every other percentage on the platform: Dutch
'20 %' / '20,5 %', English '20%' / '20.5%' (``floatformat`` plus a fixed '&nbsp;%'
wrote '20.0 %' on the English page).
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from werklandschap.lib.numbers import percent
from werklandschap.vouchers.money import euros as format_euros

register = template.Library()


@register.filter
def euros(cents):
    return format_euros(cents)


@register.filter
def share(value: Decimal | float | str | None) -> str:
    """At most one decimal, none for a whole number ('20 %', not '20,0 %'); '–' for none."""
    if value in (None, ""):
        return percent(None)
    number = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return percent(float(number), 0 if number == number.to_integral_value() else 1)
