"""Punctuation that follows the language: the Arabic comma (،) between items of an Arabic line."""

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def comma() -> str:
    """The separator between two items of a line: ", " or, in Arabic, "، "."""
    return pgettext("separator between two items of a line", ", ")
