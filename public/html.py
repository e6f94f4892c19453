"""The public page's repeated parts written by Python: a project's card and
a commune's tile, in one format string each.

The page shows 50 cards of a dozen facts and a tile per commune of the
province; through the template engine they cost more CPU than all the
page's queries at 200 projects (issue 19: ~180 ms a request), one variable
lookup, filter and translation at a time. These functions write the same
bytes the templates wrote (tests/public/test_public_html.py renders both and
compares them): values escaped and localised as the engine does
(`_value`), translations looked up once per page, not once per card.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from enterprises.templatetags.kc import money

from .publication import PublicProject


def _value(value: Any) -> str:
    """`{{ value }}` in an autoescaped template (render_value_in_context):
    Django's escape() is html.escape() made safe; a plain text goes straight
    to html.escape, a safe one is left as it is."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(str(localize(value)))


def _plain(value: Any) -> str:
    """`{{ value }}` under `{% localize off %}`."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(str(value))


def _or_dash(value: Any) -> str:
    """`{{ value|default:"—" }}`."""
    return _value(value) if value else "—"


def _date(value: Any) -> str:
    """`{{ value|date:"d/m/Y" }}`."""
    return conditional_escape(date_format(value, "d/m/Y"))


# The facts' layout: a term and its description.
DT = '<dt class="col-5 col-md-3 col-xl-2">'
DD = '<dd class="col-7 col-md-9 col-xl-10"'


def cards(rows: Iterable[PublicProject]) -> list[SafeString]:
    """Each row's card, as templates/public/_results.html's loop wrote it."""
    t = {
        msgid: gettext(msgid)
        for msgid in (
            "plan",
            "Not published",
            "Programme",
            "Activity content",
            "Beneficiaries",
            "tax code",
            "Commune / ward",
            "Approved support",
            "Decision",
            "Results at acceptance",
        )
    }
    hidden = f'<span class="text-muted fst-italic">{t["Not published"]}</span>'
    achieved = gettext(
        "%(machines)s machines, %(trainees)s trainees, %(products)s products"
    )
    jobs = gettext("%(jobs)s jobs after")
    out = []
    for p in rows:
        if p.beneficiaries is None:
            beneficiaries = hidden
        elif not p.beneficiaries:
            beneficiaries = "—"
        else:
            beneficiaries = "; ".join(
                _value(b.name)
                + (
                    f' <span class="text-muted">({t["tax code"]} '
                    f"{_value(b.tax_code)})</span>"
                    if b.tax_code
                    else ""
                )
                + (f", {_value(b.commune)}" if b.commune else "")
                for b in p.beneficiaries
            )
        results = ""
        if p.results:
            r = p.results
            done = achieved % {
                "machines": _value(r.machines),
                "trainees": _value(r.trainees),
                "products": _value(r.products),
            }
            if r.jobs_after is not None:
                done += ", " + jobs % {"jobs": _value(r.jobs_after)}
            day = f"{_date(r.acceptance_date)}: " if r.acceptance_date else ""
            results = (
                f"{DT}{t['Results at acceptance']}</dt>"
                f'{DD} data-testid="results">{day}{done}</dd>'
            )
        elif "results" in p.withheld:
            results = f"{DT}{t['Results at acceptance']}</dt>{DD}>{hidden}</dd>"
        decided = f" ({_date(p.decision_date)})" if p.decision_date else ""
        out.append(
            # Every value below is escaped.
            mark_safe(
                CARD.format(
                    code=_value(p.code),
                    id=p.id,
                    status=_value(p.status),
                    label=_value(p.status_label),
                    sources=_value(p.sources),
                    plan=t["plan"],
                    years=_value(p.years),
                    title=hidden if p.title is None else _value(p.title),
                    programme_term=t["Programme"],
                    programmes=_or_dash(p.programmes),
                    content_term=t["Activity content"],
                    content=_value(p.content),
                    beneficiaries_term=t["Beneficiaries"],
                    beneficiaries=beneficiaries,
                    commune_term=t["Commune / ward"],
                    commune=hidden if p.commune is None else _or_dash(p.commune),
                    approved_term=t["Approved support"],
                    approved=(
                        hidden
                        if p.approved is None
                        else f"<strong>{_value(money(p.approved))}</strong>"
                    ),
                    decision_term=t["Decision"],
                    decision=f"{_or_dash(p.decision_no)}{decided}",
                    results=results,
                    DT=DT,
                    DD=DD,
                )
            )
        )
    return out


# One card of templates/public/_results.html (its status badge is
# templates/includes/project_status.html, with the include's line end).
CARD = """
  <li class="card mb-2" data-code="{code}" data-id="{id}">
    <div class="card-body py-2">
      <div class="d-flex flex-wrap gap-2 align-items-baseline">
        <span class="fw-semibold">{code}</span>
        <span class="badge kc-status kc-status-{status}" data-status="{status}">\
{label}</span>

        <span class="text-muted small">{sources} · {plan} {years}</span>
      </div>
      <h2 class="h6 mt-1 mb-1">{title}</h2>
      <dl class="row small mb-0 kc-public-facts">
        {DT}{programme_term}</dt>{DD}>{programmes}</dd>
        {DT}{content_term}</dt>{DD}>{content}</dd>
        {DT}{beneficiaries_term}</dt>{DD} data-testid="beneficiaries">\
{beneficiaries}</dd>
        {DT}{commune_term}</dt>{DD}>{commune}</dd>
        {DT}{approved_term}</dt>{DD} data-testid="approved">{approved}</dd>
        {DT}{decision_term}</dt>{DD}>{decision}</dd>
        {results}
      </dl>
    </div>
  </li>
"""


def squares(items: Sequence[Any]) -> SafeString:
    """A tile group's squares (dashboard.charts.Tile: texts), as the loop
    of templates/public/_tiles.html wrote them with localisation off."""
    return mark_safe(
        "".join(
            # Every value below is escaped; x and y are the tile's own strings.
            f'<rect x="{_plain(t.x)}" y="{_plain(t.y)}" '
            f'width="20" height="20" rx="2" class="{_plain(t.css)}">'
            f"<title>{_plain(t.label)}: {_plain(t.text)}</title></rect>"
            for t in items
        )
    )
