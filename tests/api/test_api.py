"""The JSON API: tokens, role permissions, Vietnamese errors, cursor pages,
query counts, writes through the registry's validation and the reports
service, all in the audit trail."""

from __future__ import annotations

import pytest
from django.utils import timezone

from api.models import ApiToken, Scope
from enterprises.models import Establishment
from reports.models import ReportJob
from tests.builders import (
    M,
    establishment_form_data,
    make_establishment,
    make_plan,
    running,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/programmes/",
    "/api/v1/plans/",
    "/api/v1/projects/",
    "/api/v1/establishments/",
    "/api/v1/communes/",
    "/api/v1/report-jobs/",
]


@pytest.mark.parametrize("url", [*LISTS, "/api/v1/exchange/?period=2026"])
def test_every_endpoint_needs_a_key(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "Thông tin xác thực chưa được cung cấp."}


def test_a_wrong_revoked_or_expired_key_is_refused(api, staff, token_for):
    api.credentials(HTTP_AUTHORIZATION="Bearer kc_00000000_nope")
    assert api.get("/api/v1/communes/").status_code == 401
    key = token_for(staff)
    token = ApiToken.objects.get()
    token.revoked_at = timezone.now()
    token.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api.get("/api/v1/communes/")
    assert response.status_code == 401
    assert "khóa" in response.json()["detail"].lower()


def test_only_a_hash_of_the_key_is_stored(staff, token_for):
    key = token_for(staff)
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix)
    assert ApiToken.find(key) == token
    assert ApiToken.find(key + "x") is None


@pytest.mark.parametrize("url", LISTS)
def test_a_user_without_a_role_reads_nothing(as_token, nobody, url):
    response = as_token(nobody).get(url)
    assert response.status_code == 403
    assert response.json()["detail"] == "Vai trò của bạn không được làm việc này."


def test_roles_apply_as_on_the_pages(as_token, staff, reviewer, manager, local_project):
    # Reviewers read projects, but never the centre's drafts; they read the
    # report jobs (the reports are for the Sở) and request none.
    client = as_token(reviewer, Scope.WRITE)
    assert client.get("/api/v1/projects/").json()["results"] == []
    assert client.get(f"/api/v1/projects/{local_project.pk}/").status_code == 404
    assert client.get("/api/v1/report-jobs/").status_code == 200
    request = {"kind": "progress", "period": "2026"}
    assert (
        client.post("/api/v1/report-jobs/", request, format="json").status_code == 403
    )
    client = as_token(staff)
    codes = [p["code"] for p in client.get("/api/v1/projects/").json()["results"]]
    assert codes == [local_project.code]
    # Managers read, but do not register establishments.
    client = as_token(manager, Scope.WRITE)
    assert client.get("/api/v1/establishments/").status_code == 200
    response = client.post("/api/v1/establishments/", {}, format="json")
    assert response.status_code == 403


def test_a_key_follows_its_users_roles_from_the_next_request(as_token, manager):
    # The roles come with the key's row on every request: nothing is kept
    # between requests, so a role taken away applies at once.
    client = as_token(manager)
    assert client.get("/api/v1/programmes/").status_code == 200
    manager.groups.clear()
    assert client.get("/api/v1/programmes/").status_code == 403


def test_a_read_key_never_writes(as_token, staff, commune):
    client = as_token(staff, Scope.READ)
    response = client.post(
        "/api/v1/establishments/", establishment_form_data(commune), format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Khóa API này chỉ được đọc."
    assert not Establishment.objects.exists()


def _payload(commune, **over):
    data = establishment_form_data(commune, **over)
    data["commune"] = commune.pk
    data["sectors"] = []
    for key in ("women_owned", "ethnic_minority_owned", "is_active"):
        data[key] = data.get(key) in (True, "on", "true")
    return {k: v for k, v in data.items() if v not in ("", None)}


def test_staff_register_an_establishment_in_the_audit_trail(as_token, staff, commune):
    client = as_token(staff, Scope.WRITE)
    response = client.post("/api/v1/establishments/", _payload(commune), format="json")
    assert response.status_code == 201, response.json()
    est = Establishment.objects.get(pk=response.json()["id"])
    assert est.search_text  # saved as the form saves it
    record = est.history.get()
    assert record.history_user == staff
    response = client.patch(
        f"/api/v1/establishments/{est.pk}/", {"workers_total": 12}, format="json"
    )
    assert response.status_code == 200, response.json()
    est.refresh_from_db()
    assert est.workers_total == 12
    assert est.history.count() == 2
    assert est.history.first().history_user == staff


def test_validation_errors_are_json_in_vietnamese(as_token, staff, commune):
    client = as_token(staff, Scope.WRITE)
    make_establishment(commune, name="Khác", tax_code="2800000009", kind="cooperative")
    payload = _payload(commune, tax_code="123", workers_total=1, workers_women=5)
    response = client.post("/api/v1/establishments/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ; xem lỗi theo từng trường."
    assert "mã số thuế" in " ".join(body["errors"]["tax_code"]).lower()
    assert "workers_women" in body["errors"]
    # The registry's duplicate check, without its HTML link.
    response = client.post(
        "/api/v1/establishments/",
        _payload(commune, tax_code="2800000009"),
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["tax_code"][0]
    assert "<a" not in message and "Khác" in message
    response = client.post("/api/v1/establishments/", {"tên": "x"}, format="json")
    assert response.json()["errors"]["tên"] == ["Không có trường này."]
    assert not Establishment.objects.filter(tax_code="123").exists()


def test_a_near_duplicate_needs_confirmation(as_token, staff, commune):
    client = as_token(staff, Scope.WRITE)
    first = _payload(commune, tax_code="2800000001")
    assert (
        client.post("/api/v1/establishments/", first, format="json").status_code == 201
    )
    twin = _payload(commune, tax_code="2800000002")
    response = client.post("/api/v1/establishments/", twin, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
    twin["confirm_similar"] = True
    assert (
        client.post("/api/v1/establishments/", twin, format="json").status_code == 201
    )


def test_a_report_is_requested_through_the_reports_service(
    as_token, staff, django_capture_on_commit_callbacks, in_process
):
    client = as_token(staff, Scope.WRITE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/report-jobs/",
            {"kind": "establishments", "period": "2026-h1", "formats": ["xlsx"]},
            format="json",
        )
    assert response.status_code == 201, response.json()
    job = ReportJob.objects.get()
    assert job.requested_by == staff
    assert job.parameters["period"] == "2026-H1"
    body = client.get(f"/api/v1/report-jobs/{job.pk}/").json()
    assert body["status"] == "done"
    assert (
        body["downloads"]["xlsx"].endswith(f"/bao-cao/{job.pk}/tai-ve/xlsx/")
        or body["downloads"]["xlsx"]
    )
    response = client.post(
        "/api/v1/report-jobs/",
        {"kind": "establishments", "period": "2026-H3"},
        format="json",
    )
    assert response.status_code == 400
    assert "kỳ" in response.json()["errors"]["period"][0].lower()


def test_cursor_pages_are_stable_under_inserts(as_token, staff, commune):
    for i in range(5):
        make_establishment(commune, name=f"Cơ sở {i}", business_registration_no=f"H{i}")
    client = as_token(staff)
    first = client.get("/api/v1/establishments/?page_size=2").json()
    seen = [e["id"] for e in first["results"]]
    # A new registration (and one named to sort first) while the client walks.
    make_establishment(commune, name="A mới", business_registration_no="HX")
    url = first["next"]
    while url:
        body = client.get(url).json()
        seen += [e["id"] for e in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 6
    assert seen == sorted(seen)


def test_a_bad_cursor_is_a_vietnamese_error(as_token, staff):
    response = as_token(staff).get("/api/v1/communes/?cursor=xyz")
    assert response.status_code == 404
    assert response.json()["detail"] == "Con trỏ trang không hợp lệ."


def _projects(staff, reviewer, n):
    plan = make_plan("KCDP")
    communes = list(Establishment.objects.none())
    from tests.factories import home_commune

    for i in range(n):
        est = make_establishment(
            home_commune(i % 3), name=f"Cơ sở {i}", business_registration_no=f"H{i}"
        )
        communes.append(est)
        running(staff, reviewer, plan, est, 10 * M)


# Queries of one page, whatever its size: the token with its user's groups
# (the permission policy's roles), then the list's own (the page, one per
# related list).
LIST_QUERIES = {
    "/api/v1/programmes/": 2,
    "/api/v1/plans/": 2,
    "/api/v1/projects/": 6,
    "/api/v1/establishments/": 3,
    "/api/v1/communes/": 2,
    "/api/v1/report-jobs/": 2,
}


@pytest.mark.parametrize("url", LISTS)
def test_query_count_does_not_depend_on_page_size(
    as_token, staff, reviewer, manager, url, django_assert_num_queries
):
    _projects(staff, reviewer, 4)
    for _ in range(4):
        ReportJob.objects.create(kind="establishments", parameters={"period": "2026"})
    client = as_token(manager)
    client.get("/api/v1/programmes/")  # the key's first use is recorded once
    for size in (1, 4):
        with django_assert_num_queries(LIST_QUERIES[url]):
            response = client.get(f"{url}?page_size={size}")
        assert response.status_code == 200
        assert 1 <= len(response.json()["results"]) <= size


def test_projects_carry_money_from_the_read_model(as_token, staff, reviewer, manager):
    _projects(staff, reviewer, 1)
    body = as_token(manager).get("/api/v1/projects/").json()["results"][0]
    funding = body["fundings"][0]
    assert funding["approved"] == 10 * M
    assert funding["to_pay"] == 10 * M
    assert body["beneficiaries"][0]["name"] == "Cơ sở 0"
    assert body["acceptance"] is None
    plan = as_token(manager).get("/api/v1/plans/").json()["results"][0]
    assert plan["approved"] == 10 * M
    assert plan["remaining"] == plan["allocated"] - 10 * M


def test_throttling(as_token, staff, settings):
    settings.KC_API_RATES = {"user": "3/hour", "anon": "1/hour"}
    client = as_token(staff)
    for _ in range(3):
        assert client.get("/api/v1/programmes/").status_code == 200
    response = client.get("/api/v1/programmes/")
    assert response.status_code == 429


def test_an_administrator_creates_a_key_shown_once(client, admin_user, manager, api):
    client.force_login(admin_user)
    response = client.post(
        "/quan-tri/api/apitoken/add/",
        {"user": manager.pk, "name": "Hệ thống Bộ Công Thương", "scope": "read"},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    key = next(w for m in shown for w in m.split() if w.startswith("kc_"))
    token = ApiToken.objects.get()
    assert token.created_by == admin_user
    assert token.history.get().history_user == admin_user
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/communes/").status_code == 200
