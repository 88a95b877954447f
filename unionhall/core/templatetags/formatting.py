"""Template filters that route every number and date through core.formatting."""

from django import template

from unionhall.core import formatting

register = template.Library()


@register.filter
def num(value):
    return "" if value is None else formatting.format_number(value)


@register.filter
def money(value):
    return "" if value is None else formatting.format_money(value)


@register.filter
def date_l(value):
    return formatting.format_date(value)


@register.filter
def datetime_l(value):
    return formatting.format_datetime(value)


@register.filter
def digits(value):
    return formatting.localize_digits(str(value))
