"""`{% fragment %}`: a part of a template rendered once per build, language and the values it names, and kept
in this process's memory; `{% hole %}` inside it is rendered again for every request.

    {% load fragments %}
    {% fragment "layout-top" active_role active_tenant.pk active_tenant.name %}
      ... <form method="post">{% hole %}{% csrf_token %}{% endhole %} ...
      <input name="next" type="hidden" value="{% hole %}{{ request.get_full_path }}{% endhole %}">
    {% endfragment %}

What a fragment shows must follow from the build, the active language and the values named after its
name, and nothing else: every other per-request value (the CSRF token, the user's name, the path) goes in a
hole. A hole is rendered with the context of the `{% fragment %}` tag, so it must not sit inside a loop or a
`{% with %}` of the fragment. No `{% block %}` inside a fragment either: a child template's block would be
frozen in it.

The memory is per process and bounded (MAX_ENTRIES, then it starts again); nothing leaves the process, so a
fragment may hold a tenant's name when the tenant is among its values. With DEBUG on, fragments are not
kept (templates change under a running development server).
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.defaulttags import ForNode, WithNode
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.core.fragments import build_version

register = template.Library()

MAX_ENTRIES = 2_000
_memory: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
_recording: ContextVar[bool] = ContextVar("fragment_recording", default=False)
# What a hole leaves in the kept text: unguessable, so no rendered value can pass for one.
_NONCE = secrets.token_hex(8)
_HOLE = re.compile(rf"\x00hole-{_NONCE}-(\d+)\x00")


def forget_fragments(**_signal_kwargs: object) -> None:
    """Drop every kept fragment: when the menu or, in tests, a setting changes."""
    _memory.clear()


setting_changed.connect(forget_fragments, dispatch_uid="fragments.forget_on_setting_changed")


class HoleNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.number = -1  # set by its fragment

    def render(self, context: template.Context) -> str:
        if _recording.get() and self.number >= 0:
            return f"\x00hole-{_NONCE}-{self.number}\x00"
        return self.nodelist.render(context)


class FragmentNode(template.Node):
    # Not searched by get_nodes_by_type: the parse refuses a {% block %} inside, and ExtendsNode searches the
    # root template's whole tree for blocks at every render (a fifth of the layout's nodes are the fragments').
    child_nodelists = ()

    def __init__(self, name: FilterExpression, parts: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.parts = parts
        self.nodelist = nodelist
        self.holes = nodelist.get_nodes_by_type(HoleNode)
        for number, hole in enumerate(self.holes):
            hole.number = number

    def render(self, context: template.Context) -> SafeString:
        if settings.DEBUG:
            return mark_safe(self.nodelist.render(context))  # noqa: S308 (a template's output)
        key = (
            self.name.resolve(context),
            build_version(),
            get_language(),
            *(_hashable(part.resolve(context)) for part in self.parts),
        )
        kept = _memory.get(key)
        if kept is None:
            kept = self._record(context)
            if len(_memory) >= MAX_ENTRIES:
                _memory.clear()
            _memory[key] = kept
        texts, holes = kept
        out = [texts[0]]
        for text, number in zip(texts[1:], holes, strict=True):
            out.append(self.holes[number].nodelist.render(context))
            out.append(text)
        return mark_safe("".join(out))  # noqa: S308 (pieces of a template's output, and its holes')

    def _record(self, context: template.Context) -> tuple[tuple[str, ...], tuple[int, ...]]:
        token = _recording.set(True)
        try:
            rendered = self.nodelist.render(context)
        finally:
            _recording.reset(token)
        pieces = _HOLE.split(rendered)
        return tuple(pieces[0::2]), tuple(int(number) for number in pieces[1::2])


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "name" value ... %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode) or nodelist.get_nodes_by_type(FragmentNode):
        raise template.TemplateSyntaxError("{% fragment %} may not hold a {% block %} or another {% fragment %}.")
    for scope in (*nodelist.get_nodes_by_type(ForNode), *nodelist.get_nodes_by_type(WithNode)):
        if any(scope_nodes.get_nodes_by_type(HoleNode) for scope_nodes in _child_nodelists(scope)):
            raise template.TemplateSyntaxError(
                "A {% hole %} is rendered with the context of its {% fragment %}: not inside a {% for %} or {% with %}."
            )
    return FragmentNode(parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


def _child_nodelists(node: template.Node) -> list[NodeList]:
    return [getattr(node, name) for name in node.child_nodelists if getattr(node, name, None) is not None]


@register.tag("hole")
def do_hole(parser: Parser, token: Token) -> HoleNode:
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)
