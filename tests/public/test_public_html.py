"""The public page's cards and tiles, written by Python (public.html), are
the bytes the templates wrote: every field, withheld or not, escaped and
localised, in both languages."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from dashboard.charts import Tile
from projects.models import Acceptance, Project
from public.html import cards, squares
from public.models import WithheldField, Withholding
from public.publication import public_rows, published_projects

pytestmark = pytest.mark.django_db

# templates/public/_results.html's loop before public.html.cards wrote it.
TEMPLATE_CARDS = """{% load i18n kc l10n %}{% for p in rows %}
  <li class="card mb-2" data-code="{{ p.code }}" data-id="{{ p.id|unlocalize }}">
    <div class="card-body py-2">
      <div class="d-flex flex-wrap gap-2 align-items-baseline">
        <span class="fw-semibold">{{ p.code }}</span>
        {% include "includes/project_status.html" with status=p.status label=p.status_label %}
        <span class="text-muted small">{{ p.sources }} · {% translate "plan" %} {{ p.years }}</span>
      </div>
      <h2 class="h6 mt-1 mb-1">{% if p.title is None %}<span class="text-muted fst-italic">{% translate "Not published" %}</span>{% else %}{{ p.title }}{% endif %}</h2>
      <dl class="row small mb-0 kc-public-facts">
        <dt class="col-5 col-md-3 col-xl-2">{% translate "Programme" %}</dt><dd class="col-7 col-md-9 col-xl-10">{{ p.programmes|default:"—" }}</dd>
        <dt class="col-5 col-md-3 col-xl-2">{% translate "Activity content" %}</dt><dd class="col-7 col-md-9 col-xl-10">{{ p.content }}</dd>
        <dt class="col-5 col-md-3 col-xl-2">{% translate "Beneficiaries" %}</dt><dd class="col-7 col-md-9 col-xl-10" data-testid="beneficiaries">{% if p.beneficiaries is None %}<span class="text-muted fst-italic">{% translate "Not published" %}</span>{% else %}{% for b in p.beneficiaries %}{{ b.name }}{% if b.tax_code %} <span class="text-muted">({% translate "tax code" %} {{ b.tax_code }})</span>{% endif %}{% if b.commune %}, {{ b.commune }}{% endif %}{% if not forloop.last %}; {% endif %}{% empty %}—{% endfor %}{% endif %}</dd>
        <dt class="col-5 col-md-3 col-xl-2">{% translate "Commune / ward" %}</dt><dd class="col-7 col-md-9 col-xl-10">{% if p.commune is None %}<span class="text-muted fst-italic">{% translate "Not published" %}</span>{% else %}{{ p.commune|default:"—" }}{% endif %}</dd>
        <dt class="col-5 col-md-3 col-xl-2">{% translate "Approved support" %}</dt><dd class="col-7 col-md-9 col-xl-10" data-testid="approved">{% if p.approved is None %}<span class="text-muted fst-italic">{% translate "Not published" %}</span>{% else %}<strong>{{ p.approved|money }}</strong>{% endif %}</dd>
        <dt class="col-5 col-md-3 col-xl-2">{% translate "Decision" %}</dt><dd class="col-7 col-md-9 col-xl-10">{{ p.decision_no|default:"—" }}{% if p.decision_date %} ({{ p.decision_date|date:"d/m/Y" }}){% endif %}</dd>
        {% if p.results %}<dt class="col-5 col-md-3 col-xl-2">{% translate "Results at acceptance" %}</dt><dd class="col-7 col-md-9 col-xl-10" data-testid="results">{% if p.results.acceptance_date %}{{ p.results.acceptance_date|date:"d/m/Y" }}: {% endif %}{% blocktranslate with machines=p.results.machines trainees=p.results.trainees products=p.results.products %}{{ machines }} machines, {{ trainees }} trainees, {{ products }} products{% endblocktranslate %}{% if p.results.jobs_after is not None %}, {% blocktranslate with jobs=p.results.jobs_after %}{{ jobs }} jobs after{% endblocktranslate %}{% endif %}</dd>{% elif "results" in p.withheld %}<dt class="col-5 col-md-3 col-xl-2">{% translate "Results at acceptance" %}</dt><dd class="col-7 col-md-9 col-xl-10"><span class="text-muted fst-italic">{% translate "Not published" %}</span></dd>{% endif %}
      </dl>
    </div>
  </li>
{% endfor %}"""  # noqa: E501

# templates/public/_tiles.html's squares before public.html.squares.
TEMPLATE_SQUARES = (
    "{% load l10n %}{% localize off %}{% for t in tiles %}"
    '<rect x="{{ t.x }}" y="{{ t.y }}" width="20" height="20" rx="2" '
    'class="{{ t.css }}"><title>{{ t.label }}: {{ t.text }}</title></rect>'
    "{% endfor %}{% endlocalize %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_cards_are_the_html_the_template_wrote(world, admin_user, language):
    # A title to escape, a withheld title, place and results, results with
    # and without jobs, thousands to group.
    Project.objects.filter(pk=world.approved.pk).update(
        title='Máy <b>"A" & B\'s</b> 100%', decision_no=""
    )
    Acceptance.objects.filter(project=world.accepted).update(
        trainees_achieved=1234, products_achieved=5
    )
    for field in (WithheldField.TITLE, WithheldField.COMMUNE, WithheldField.RESULTS):
        Withholding.objects.create(
            project=world.partly, field=field, reason="Bí mật", decided_by=admin_user
        )
    rows = public_rows(published_projects().order_by("-decision_date", "-pk"))
    assert {r.title for r in rows} >= {None, 'Máy <b>"A" & B\'s</b> 100%'}
    assert any(r.results and r.results.jobs_after for r in rows)
    assert any(r.beneficiaries is None for r in rows)
    assert any(b.tax_code for r in rows for b in r.beneficiaries or [])
    with translation.override(language):
        written = Template(TEMPLATE_CARDS).render(Context({"rows": rows}))
        assert "".join(cards(rows)) == written
    assert "&lt;b&gt;&quot;A&quot; &amp; B&#x27;s&lt;/b&gt; 100%" in written
    assert "1.234" in written or "1,234" in written


def test_the_squares_are_the_html_the_template_wrote():
    tiles = [
        Tile(
            label='Xã <Nga> "Sơn" & Co',
            text="1234 đề án",
            css="kc-tile kc-tile-2",
            x="0",
            y="22",
        ),
        Tile(
            label="Phường Hạc Thành", text="0", css="kc-tile kc-tile-0", x="22", y="0"
        ),
    ]
    written = Template(TEMPLATE_SQUARES).render(Context({"tiles": tiles}))
    assert squares(tiles) == written
    assert "&lt;Nga&gt; &quot;Sơn&quot; &amp; Co" in written
