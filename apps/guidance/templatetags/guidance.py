from django import template

from apps.guidance.calculators.catalogue import calculators_for_topic, calculators_shown

register = template.Library()


@register.simple_tag
def calculators_menu() -> list[dict[str, object]]:
    return calculators_shown()


@register.simple_tag
def topic_calculators(slug: str) -> list[dict[str, object]]:
    return calculators_for_topic(slug)
