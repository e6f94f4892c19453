"""Demo establishment accounts and their requests for support (DEBUG only).

`coso` speaks for one demo establishment and has requests in every state the
portal has: a draft, one with the centre, one the centre asked about, one
declined and one made into a draft project. Built through the applicants'
services, once: a second run finds `coso` and adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applicants import services
from applicants.models import ApplicantLink, DocumentKind, SupportRequest
from enterprises.models import Establishment
from projects.models import ActivityContent, Plan, Source

M = 1_000_000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (title, items, support, counterpart, what happens)
REQUESTS = [
    ("Mua máy chẻ nan mây tự động", "01 máy chẻ nan: 180.000.000 đ", 80, 100, "draft"),
    ("Mua máy dệt chiếu cói", "02 máy dệt chiếu: 240.000.000 đ", 100, 140, "submitted"),
    ("Mua lò sấy mây tre", "01 lò sấy 6 m³: 200.000.000 đ", 90, 110, "returned"),
    ("Mua máy đánh bóng đồ gỗ", "01 máy đánh bóng: 120.000.000 đ", 50, 70, "declined"),
    ("Mua máy ép viên nén mùn cưa", "01 máy ép: 300.000.000 đ", 120, 180, "accepted"),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _draft(user: User, title: str, items: str, support: int, own: int):
    return services.request_save(
        request=SupportRequest(
            title=title,
            content=ActivityContent.objects.get(code=4),
            items=items,
            total_cost=(support + own) * M,
            requested=support * M,
            counterpart=own * M,
            expected_results="Tăng năng suất gấp đôi, thêm 4 lao động.",
        ),
        by=user,
    )


def _fits(establishment: Establishment) -> bool:
    """Whether the demo amounts pass the rules for this establishment."""
    probe = SupportRequest(
        establishment=establishment,
        content=ActivityContent.objects.get(code=4),
        total_cost=300 * M,
        requested=120 * M,
        counterpart=180 * M,
    )
    return bool(services.request_check(probe))


def seed_applicants(*, staff: User, password: str) -> int:
    """The demo account `coso` and its requests; 0 when already there."""
    if ApplicantLink.objects.filter(user__username="coso").exists():
        return 0
    establishment = next(
        e
        for e in Establishment.objects.filter(commune__isnull=False).order_by("pk")
        if _fits(e)
    )
    link = services.applicant_sign_up(
        email="coso@khuyencong.local",
        password=password,
        claimed_code=establishment.tax_code or establishment.business_registration_no,
        claimed_name=establishment.name,
        phone="0912345678",
    )
    link.user.username = "coso"
    link.user.first_name = establishment.representative_name
    link.user.save(update_fields=["username", "first_name"])
    services.applicant_confirm_email(link=link)
    services.applicant_verify(link=link, establishment=establishment, by=staff)
    user: Any = User.objects.get(pk=link.user_id)
    plan = Plan.objects.filter(
        programme__source=Source.LOCAL, year=timezone.localdate().year
    ).first() or Plan.objects.filter(programme__source=Source.LOCAL).latest("year")
    for title, items, support, own, state in REQUESTS:
        item = _draft(user, title, items, support, own)
        if state == "draft":
            continue
        services.request_add_document(
            request=item,
            by=user,
            kind=DocumentKind.REGISTRATION,
            upload=_pdf("giay-dang-ky-kinh-doanh.pdf"),
        )
        services.request_add_document(
            request=item,
            by=user,
            kind=DocumentKind.QUOTATION,
            upload=_pdf("bao-gia.pdf"),
        )
        services.request_submit(request=item, by=user)
        if state == "returned":
            services.request_ask(
                request=item,
                by=staff,
                body="Đề nghị bổ sung báo cáo tài chính năm gần nhất.",
            )
        elif state == "declined":
            services.request_decline(
                request=item,
                by=staff,
                reason="Thiết bị đã được hỗ trợ cho cơ sở trong 5 năm gần đây.",
            )
        elif state == "accepted":
            services.request_to_project(request=item, by=staff, plan=plan)
    return len(REQUESTS)
