"""``{{ amount|money }}``: turvaportaal.lib.money's way of writing money, for every template."""

from django import template

from turvaportaal.lib.money import format_money

register = template.Library()
register.filter("money", format_money)
