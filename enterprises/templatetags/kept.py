"""`{% keep on a b %}…{% endkeep %}`: a fragment rendered once per process
for each language and each value of the expressions it names, then reused.

Every page draws the same frame (templates/base.html): the stylesheets and
scripts, a dozen translated attributes, the navigation with the user's menu
and the language switch. Through the template engine that frame cost more
CPU than the rest of a cached page (issue 20: the project list at 7 ms a
request against 3 ms for a bare view through the same middleware). What it
shows depends on little: the language, the user's name and role, the page's
address and the navigation drawn for them; a kept fragment names those and
is drawn again when one changes.

Only what the fragment depends on may vary between two requests that share
its key: a fragment must name every context value it reads (the language is
always part of the key). The one exception is the CSRF token, which is the
request's own: the fragment is drawn with a mark in its place and the mark is
replaced by this request's `{% csrf_token %}` on every use.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Fragments kept per process, the least recently used dropped first: a few
# KB each (the navigation with the user menu is the largest, ~6 KB).
MAX_FRAGMENTS = 1024

_MARK = "kc-kept-csrf-7f1d"
_MARKED_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_MARK}">'

_kept: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()
_serial = itertools.count()


def forget_all(**kwargs) -> None:
    """Drop every kept fragment (a setting changed: static files' names,
    languages, anything a fragment may have read from the settings)."""
    with _lock:
        _kept.clear()


setting_changed.connect(forget_all, weak=False, dispatch_uid="kc-kept-fragments")


class KeepNode(template.Node):
    # Its content is not searched for blocks at every render of a page that
    # extends this template (ExtendsNode walks the parent's nodes): there is
    # none, `keep` refuses them.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList, vary: list) -> None:
        self.nodelist = nodelist
        self.vary = vary
        # This tag's place in its template: fragments of two tags never meet.
        self.serial = next(_serial)

    def render(self, context: template.Context) -> SafeString:
        key = (
            self.serial,
            get_language(),
            *(expression.resolve(context) for expression in self.vary),
        )
        try:
            hash(key)
        except TypeError:  # a value that cannot be a key: draw it every time
            return self.nodelist.render(context)
        with _lock:
            html = _kept.get(key)
            if html is not None:
                _kept.move_to_end(key)
        if html is None:
            with context.push(csrf_token=_MARK):
                html = self.nodelist.render(context)
            with _lock:
                _kept[key] = html
                while len(_kept) > MAX_FRAGMENTS:
                    _kept.popitem(last=False)
        if _MARKED_INPUT in html:
            html = html.replace(_MARKED_INPUT, CsrfTokenNode().render(context))
        # Drawn by the template engine, which escaped what it had to.
        return mark_safe(html)


@register.tag
def keep(parser: template.base.Parser, token: template.base.Token) -> KeepNode:
    """{% keep %} or {% keep on <expression> … %}, closed by {% endkeep %}."""
    bits = token.split_contents()[1:]
    if bits[:1] == ["on"]:
        bits = bits[1:]
    elif bits:
        raise template.TemplateSyntaxError("keep: write {% keep on a b %}")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        # A child template's block would be drawn once for every template.
        raise template.TemplateSyntaxError("keep: no {% block %} inside")
    return KeepNode(nodelist, [parser.compile_filter(bit) for bit in bits])
