"""The council's minutes PDF, read back with pdftotext: every member with
their function, the scores, the total and the conclusion, the register's
number once closed, the council's signature blocks."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from appraisal import services

from .sessions import SCORES, criteria, score_all

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(out.stdout.decode().split())


def test_the_minutes_list_members_scores_total_and_conclusion(
    session, as_user, tmp_path
):
    score_all(session, SCORES)
    services.council_close(council=session.council, by=session.users["secretary"])
    response = as_user(session.users["member"]).get(
        reverse("reports:council_minutes", args=[session.council.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response), tmp_path)
    assert "BIÊN BẢN HỌP HỘI ĐỒNG" in text
    assert "Số: 1/BB-TTKC" in text
    for member in session.members:
        assert member.display_name in text
    assert "Trường Cao đẳng Công nghiệp" in text
    for function in ("Chủ tịch", "Thư ký", "Thành viên", "Ủy viên phản biện"):
        assert function in text
    assert "81,7 điểm — hội đồng đề nghị hỗ trợ." in text
    assert "16,63" in text  # the first criterion's average (16.625)
    assert "18,6" in text  # the outsider's score typed by the secretary
    assert "Ý kiến của Hoàng Văn Đức" in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in text and "THƯ KÝ" in text
    assert "DỰ THẢO" not in text


def test_an_open_council_prints_a_draft_without_a_number(session, as_user, tmp_path):
    response = as_user(session.users["secretary"]).get(
        reverse("reports:council_minutes", args=[session.council.pk])
    )
    text = pdf_text(b"".join(response), tmp_path)
    assert "DỰ THẢO" in text
    assert "Số: ..../BB-TTKC" in text


def _pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return [" ".join(page.split()) for page in out.stdout.decode().split("\f")[:-1]]


def test_the_signatures_never_stand_alone_on_the_last_page(session, as_user, tmp_path):
    """Longer and longer opinions move the end of the minutes across a page
    break, a line at a time; wherever it falls, a page after the first holds
    the conclusion with the signatures, never the signatures alone (seen on
    the demo's council 5/2026 before the fix)."""
    score_all(session, SCORES)
    rows = criteria(session.council)
    client = as_user(session.users["secretary"])
    url = reverse("reports:council_minutes", args=[session.council.pk])

    def minutes(lines: int) -> list[str]:
        for member, values in zip(session.members, SCORES, strict=True):
            services.sheet_save(
                member=member,
                project=session.project,
                by=member.user or session.secretary.user,
                scores={c.pk: Decimal(v) for c, v in zip(rows, values, strict=True)},
                opinion=" ".join(["Đề án phù hợp với quy hoạch ngành nghề."] * lines),
            )
        return _pages(b"".join(client.get(url)), tmp_path)

    spilled = 0
    for lines in range(1, 7):
        pages = minutes(lines)
        assert "CHỦ TỊCH HỘI ĐỒNG" in pages[-1]
        if len(pages) > 1:
            spilled += 1
            assert "Kết luận" in pages[-1], lines
    assert spilled, "the minutes never reached a second page: nothing was tested"
