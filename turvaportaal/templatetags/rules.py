"""``{% may "app.action" thing as verdict %}``: the app's predicate, asked for the signed-in person,
so that a page offers a button only when the action would be allowed (turvaportaal.lib.rules)."""

from typing import Any

from django import template

from turvaportaal.lib.rules import Verdict, ask

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, *things: Any) -> Verdict:
    return ask(action, context["request"].user, *things)
