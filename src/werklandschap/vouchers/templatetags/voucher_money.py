"""``{{ cents|euros }}``: an amount in cents as people read it (``€ 15.000,00``)."""

from django import template

from werklandschap.vouchers.money import euros as format_euros

register = template.Library()


@register.filter
def euros(cents):
    return format_euros(cents)
