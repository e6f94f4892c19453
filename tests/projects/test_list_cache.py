"""The project list's page and its count and totals, kept under the data
version (issue 20): a second request reads them from the cache (the same
page, without the list's queries), and a committed write retires them at
once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import make_project

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")


def page(client, url: str = LIST) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)
    return html, len(queries.captured_queries)


def counted(html: str) -> str:
    return re.search(r'<p class="text-muted small">([^<]*)</p>', html).group(1)


@pytest.fixture
def list_cache(settings):
    settings.KC_LIST_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_the_page_comes_from_the_cache_until_a_write(
    list_cache, as_user, staff, local_plan, establishment,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    for _ in range(3):
        make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    client = as_user(staff)
    first, computed = page(client)
    again, cached = page(client)
    assert again == first
    # Left: the session, the user, the roles and the two badges of the menu.
    assert cached == 5 < computed
    assert counted(first).strip() == "3 đề án"
    # Another filter is another entry, with the same filter selects
    # (programmes, contents, communes: three queries).
    _html, other = page(client, f"{LIST}?status=draft")
    assert other == computed - 3
    # Another order of the same filter is another page, but the same count
    # and totals too.
    _html, sorted_page = page(client, f"{LIST}?sort=code")
    assert sorted_page == computed - 4

    with django_capture_on_commit_callbacks(execute=True):
        make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    after, recounted = page(client)
    # Counted and drawn again; the selects stay (no programme, content or
    # commune changed).
    assert recounted == computed - 3
    assert counted(after).strip() == "4 đề án"


def test_the_cached_page_is_the_page_drawn_without_the_cache(
    settings, as_user, staff, reviewer, local_plan, establishment
):
    make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    urls = [LIST, f"{LIST}?sort=-total&status=draft", f"{LIST}?page=9&q=zz"]
    drawn = {}
    for cache_seconds in (0, 60, 60):
        settings.KC_LIST_CACHE_SECONDS = cache_seconds
        for user in (staff, reviewer):
            client = as_user(user)
            for language in ("vi", "en"):
                client.cookies["django_language"] = language
                for url in urls:
                    html, _queries = page(client, url)
                    key = (user.username, language, url)
                    assert drawn.setdefault(key, html) == html, key
    cache.clear()
    # Who and which language are in the key: the reviewer does not see the
    # centre's draft nor its button, the English page is in English.
    assert reverse("projects:create") in drawn[("staff", "vi", LIST)]
    assert "1 đề án" in drawn[("staff", "vi", LIST)]
    assert "0 đề án" in drawn[("reviewer", "vi", LIST)]
    assert reverse("projects:create") not in drawn[("reviewer", "vi", LIST)]
    assert "1 project" in drawn[("staff", "en", LIST)]


def test_renaming_a_programme_redraws_the_filter_select(
    list_cache, as_user, staff, local_plan, establishment,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    client = as_user(staff)
    first, _queries = page(client)
    programme = local_plan.programme
    assert f">{programme}</option>" in first
    with django_capture_on_commit_callbacks(execute=True):
        programme.name = "Chương trình đã đổi tên"
        programme.save()
    # Another order: the page is drawn again, its select too.
    after, _queries = page(client, f"{LIST}?sort=title")
    assert f">{programme}</option>" in after
    assert "Chương trình đã đổi tên" in str(programme)


def test_renaming_a_content_retires_the_cached_page(
    list_cache, as_user, staff, local_plan, establishment,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    project = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[establishment]
    )
    client = as_user(staff)
    first, _queries = page(client)
    content = project.content
    assert content.name in first
    with django_capture_on_commit_callbacks(execute=True):
        content.name = "Nội dung đã đổi tên"
        content.save()
    after, _queries = page(client)
    assert "Nội dung đã đổi tên" in after


def test_without_the_cache_every_request_counts(
    settings, as_user, staff, local_plan, establishment
):
    settings.KC_LIST_CACHE_SECONDS = 0
    make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    client = as_user(staff)
    _first, computed = page(client)
    _again, again = page(client)
    assert again == computed


# The rows as the template wrote them before list_rows wrote their HTML.
TEMPLATE_ROW = """{% load i18n %}{% for r in rows %}
  <tr data-testid="project-row">
    <td class="text-nowrap"><a href="{{ r.url }}">{{ r.code }}</a></td>
    <td>{{ r.title }}</td>
    <td class="small">{{ r.content }}</td>
    <td class="small">{{ r.commune }}</td>
    <td class="small">{{ r.sources }}</td>
    <td class="text-end text-nowrap">{{ r.total_cost }}</td>
    <td class="text-end text-nowrap">{{ r.support_requested }}</td>
    <td class="text-nowrap">{{ r.end_date }}{% if r.overdue %} <span class="badge text-bg-danger">{% translate "overdue" %}</span>{% endif %}</td>
    <td>{% include "includes/project_status.html" with status=r.status_value label=r.status %}</td>
  </tr>
  {% endfor %}"""  # noqa: E501


def test_the_rows_are_the_html_the_template_wrote(
    as_user, staff, local_plan, national_plan, establishment
):
    import datetime as dt

    from django.template import Context, Template
    from django.utils import timezone
    from django.utils.formats import date_format

    from enterprises.templatetags.kc import money
    from projects.models import Project, Status

    odd = make_project(staff, {local_plan: 5, national_plan: 7})
    Project.objects.filter(pk=odd.pk).update(
        title='Đề án <b>"A" & B\'s</b>',
        status=Status.IN_PROGRESS,
        start_date=dt.date(2019, 1, 2),
        end_date=dt.date(2020, 1, 2),
        commune=None,
    )
    make_project(staff, {local_plan: 100_000_000}, beneficiaries=[establishment])
    response = as_user(staff).get(LIST)
    labels = dict(Status.choices)
    expected = []
    for p in Project.objects.order_by("-created_at", "-pk").select_related(
        "content", "commune"
    ):
        expected.append(
            {
                "url": reverse("projects:detail", args=[p.pk]),
                "code": p.code,
                "title": p.title,
                "content": p.content.name,
                "commune": (p.commune.name if p.commune_id else "") or "—",
                "sources": ", ".join(
                    f.source_short for f in p.fundings.order_by("source")
                ),
                "total_cost": money(p.total_cost),
                "support_requested": money(p.support_requested),
                "end_date": date_format(p.end_date, "SHORT_DATE_FORMAT")
                if p.end_date
                else "—",
                "overdue": p.is_overdue,
                "status": str(labels[p.status]),
                "status_value": p.status,
            }
        )
    assert any(r["overdue"] for r in expected)
    assert timezone.localdate() > dt.date(2020, 1, 2)
    written = Template(TEMPLATE_ROW).render(Context({"rows": expected}))
    assert "".join(response.context["rows"]) == written
    assert "&lt;b&gt;&quot;A&quot; &amp; B&#x27;s&lt;/b&gt;" in written
