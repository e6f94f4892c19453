"""The establishments' accounts and requests, through the pages.

Who is who: `coso_a` is the verified account of establishment A, `coso_b` of
establishment B; `staff` is the centre. An applicant sees only its own
establishment's records; the centre sees every request once it is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applicants.models import ApplicantLink, RequestStatus, SupportRequest
from enterprises.roles import Role
from notifications.models import Notification
from projects.models import ActivityContent, Source, Status, SupportRule
from tests.builders import support_request
from tests.factories import make_applicant, make_user, pdf, png

pytestmark = pytest.mark.django_db


SIGN_UP = {
    "claimed_code": "HKD-A",
    "claimed_name": "Cơ sở mây tre A",
    "email": "Chu.Co.So@Example.vn",
    "phone": "0912 345 678",
    "password1": "mây-tre-2026!",
    "password2": "mây-tre-2026!",
}


def test_it_signs_up_confirms_and_waits_for_verification(client, est_a, staff):
    response = client.post(reverse("applicants:signup"), SIGN_UP)
    assert response.status_code == 302
    link = ApplicantLink.objects.get()
    assert link.user.username == "chu.co.so@example.vn"
    assert not link.user.is_active and not link.may_file
    assert len(mail.outbox) == 1
    url = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert client.get(url).status_code == 302
    link.refresh_from_db()
    assert link.user.is_active and link.email_confirmed_at
    client.post(
        reverse("login"),
        {"username": "chu.co.so@example.vn", "password": "mây-tre-2026!"},
    )
    page = client.get(reverse("applicants:home"))
    assert "waiting-verification" in page.content.decode()
    # Not verified yet: it may not file.
    assert client.get(reverse("applicants:request_new")).status_code == 403

    client.force_login(staff)
    queue = client.get(reverse("applicants:staff_accounts"))
    assert "Cơ sở mây tre A" in queue.content.decode()
    client.post(
        reverse("applicants:staff_verify", args=[link.pk]),
        {f"{link.pk}-establishment": est_a.pk},
    )
    link.refresh_from_db()
    assert link.establishment == est_a and link.verified_by == staff
    assert Notification.objects.filter(user=link.user).count() == 1


def test_it_refuses_a_bad_confirmation_link(client, est_a):
    client.post(reverse("applicants:signup"), SIGN_UP)
    link = ApplicantLink.objects.get()
    url = reverse("applicants:confirm", args=["MQ", "wrong-token"])
    assert client.get(url).status_code == 400
    link.refresh_from_db()
    assert not link.user.is_active


def test_sign_up_messages_are_next_to_the_fields(client):
    response = client.post(
        reverse("applicants:signup"),
        {**SIGN_UP, "phone": "abc", "password2": "khác"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "password2"}
    assert ApplicantLink.objects.count() == 0


def test_sign_ups_from_one_address_are_limited(client):
    cache.clear()
    for n in range(5):
        data = {**SIGN_UP, "email": f"co-so-{n}@example.vn"}
        assert client.post(reverse("applicants:signup"), data).status_code == 302
    data = {**SIGN_UP, "email": "co-so-6@example.vn"}
    assert client.post(reverse("applicants:signup"), data).status_code == 429
    assert ApplicantLink.objects.count() == 5
    cache.clear()


def test_password_reset_mails_a_link_in_vietnamese(client, coso_a):
    response = client.post(reverse("password_reset"), {"email": coso_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "mật khẩu" in mail.outbox[0].subject.lower()
    url = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page = client.get(url, follow=True)
    assert "Chọn mật khẩu mới" in page.content.decode()


def test_it_saves_a_draft_and_shows_the_rule_problems_next_to_the_fields(
    client, coso_a
):
    # A rule in force since yesterday: half the cost, at most 200 million.
    SupportRule.objects.create(
        content=ActivityContent.objects.get(code=4),
        source=Source.LOCAL,
        share_cap=Decimal("50"),
        absolute_cap=200_000_000,
        unit="establishment",
        legal_basis="Nghị quyết thử nghiệm",
        verified=True,
        valid_from=timezone.localdate() - dt.timedelta(days=1),
    )
    client.force_login(coso_a)
    response = client.post(
        reverse("applicants:request_new"),
        {
            "title": "Mua máy chẻ nan",
            "content": 4,
            "items": "01 máy",
            "total_cost": "300.000.000",
            "requested": "250.000.000",
            "counterpart": "50.000.000",
        },
    )
    item = SupportRequest.objects.get()
    assert item.requested == 250_000_000 and item.status == RequestStatus.DRAFT
    page = client.get(response.url).content.decode()
    # More than the rule's share and cap: said next to the support asked.
    assert page.count('data-testid="rule-requested"') == 2
    assert "rule-general" not in page and "rule-ok" not in page
    # Within the rule, the page says so.
    client.post(
        response.url,
        {
            "title": "Mua máy chẻ nan",
            "content": 4,
            "items": "01 máy",
            "total_cost": "300.000.000",
            "requested": "150.000.000",
            "counterpart": "150.000.000",
        },
    )
    assert 'data-testid="rule-ok"' in client.get(response.url).content.decode()


def test_uploads_pass_the_same_checks_as_staff_uploads(client, coso_a):
    item = support_request(coso_a)
    client.force_login(coso_a)
    url = reverse("applicants:request_document_add", args=[item.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bao-gia.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    client.post(url, {"kind": "quotation", "file": fake})
    assert item.documents.count() == 0
    client.post(url, {"kind": "quotation", "photo": png("bao-gia.png")})
    client.post(url, {"kind": "registration", "file": pdf()})
    assert sorted(item.documents.values_list("extension", flat=True)) == [
        ".pdf",
        ".png",
    ]


def test_the_whole_exchange_ends_in_a_draft_project(
    client,
    coso_a,
    staff,
    local_plan,
    mailoutbox,
    django_capture_on_commit_callbacks,
    in_process,  # the e-mails are sent here, not by CI's worker
):
    item = support_request(coso_a, status=RequestStatus.SUBMITTED)
    assert Notification.objects.filter(user=staff).count() == 1

    # Every message reaches the other side in its inbox and by e-mail.
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applicants:staff_ask", args=[item.pk]),
            {"body": "Thiếu báo giá của máy."},
        )
    item.refresh_from_db()
    assert item.status == RequestStatus.RETURNED
    assert Notification.objects.filter(user=coso_a).count() == 1
    assert [m.to for m in mailoutbox] == [[coso_a.email]]

    client.force_login(coso_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applicants:request_answer", args=[item.pk]),
            {"body": "Gửi báo giá.", "file": pdf("bao-gia.pdf")},
        )
    item.refresh_from_db()
    assert item.status == RequestStatus.SUBMITTED
    assert item.documents.count() == 2
    assert Notification.objects.filter(user=staff).count() == 2
    assert [m.to for m in mailoutbox[1:]] == [[staff.email]]

    client.force_login(staff)
    response = client.post(
        reverse("applicants:staff_convert", args=[item.pk]), {"plan": local_plan.pk}
    )
    item.refresh_from_db()
    project = item.project
    assert response.url == project.get_absolute_url()
    assert item.status == RequestStatus.ACCEPTED
    assert project.status == Status.DRAFT
    assert project.support_requested == 100_000_000
    assert project.total_cost == 250_000_000 and project.counterpart == 150_000_000
    assert list(project.beneficiaries.all()) == [item.establishment]

    client.force_login(coso_a)
    page = client.get(reverse("applicants:projects")).content.decode()
    assert project.code in page
    assert "Chuyên viên Trung tâm" in page or "Centre staff" in page


def test_staff_decline_with_a_reason_only(client, coso_a, staff):
    item = support_request(coso_a, status=RequestStatus.SUBMITTED)
    client.force_login(staff)
    response = client.post(
        reverse("applicants:staff_decline", args=[item.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    client.post(
        reverse("applicants:staff_decline", args=[item.pk]), {"reason": "Trùng lặp"}
    )
    item.refresh_from_db()
    assert item.status == RequestStatus.DECLINED and item.decline_reason == "Trùng lặp"


def test_an_applicant_never_opens_another_establishments_request(
    client, coso_a, coso_b, staff
):
    theirs = support_request(coso_b, status=RequestStatus.SUBMITTED)
    doc = theirs.documents.get()
    client.force_login(coso_a)
    for url in (
        reverse("applicants:request", args=[theirs.pk]),
        reverse("applicants:request_edit", args=[theirs.pk]),
        reverse("applicants:document", args=[theirs.pk, doc.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert theirs.title not in client.get(reverse("applicants:home")).content.decode()


def test_a_second_account_of_the_same_establishment_sees_its_requests(
    client, coso_a, est_a
):
    item = support_request(coso_a)
    colleague = make_applicant("coso-a2", est_a)
    client.force_login(colleague)
    assert (
        client.get(reverse("applicants:request_edit", args=[item.pk])).status_code
        == 200
    )


def test_applicants_see_no_centre_page(client, coso_a):
    client.force_login(coso_a)
    for name in ("projects:list", "enterprises:establishment_list", "money:list"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("home")).url == reverse("applicants:home")


def test_staff_queue_pins_its_queries(client, coso_a, staff, django_assert_num_queries):
    for n in range(3):
        support_request(coso_a, status=RequestStatus.SUBMITTED, title=f"Đề nghị {n}")
    make_user("other-staff", Role.STAFF)
    client.force_login(staff)
    client.get(reverse("applicants:staff_requests"))
    # The same count for three rows as for one: no query per row.
    with django_assert_num_queries(6):
        response = client.get(reverse("applicants:staff_requests"))
    assert len(response.context["items"]) == 3
