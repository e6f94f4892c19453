"""Reminders: lifecycle notices, the inbox, e-mail preferences, the digest.

Who may see what: every role has an inbox and sees only its own items;
users without a role have none.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.roles import Role
from notifications.digest import daily_digest
from notifications.models import Notification, NotificationKind, NotificationPreference
from notifications.sending import notify
from projects import services
from projects.models import Inspection, Status
from tests.builders import advance, make_project
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

INBOX = reverse("dashboard:inbox")


def titles(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_submitting_tells_every_reviewer_by_inbox_and_email(
    staff, reviewer, local_project, mailoutbox, django_capture_on_commit_callbacks
):
    second = make_user("reviewer2", Role.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        advance(local_project, Status.SUBMITTED, staff=staff, reviewer=reviewer)
    code = local_project.code
    for user in (reviewer, second):
        assert titles(user) == [f"Đề án {code} đã được gửi thẩm định"]
    assert titles(staff) == []
    assert sorted(m.to[0] for m in mailoutbox) == [
        "reviewer2@kc.test",
        "reviewer@kc.test",
    ]
    assert f"/de-an/{local_project.pk}/" in mailoutbox[0].body


def test_returning_tells_the_drafter_only(
    staff, reviewer, local_project, mailoutbox, django_capture_on_commit_callbacks
):
    other = make_user("staff2", Role.STAFF)
    services.project_submit(project=local_project, by=staff, day=dt.date(2026, 3, 2))
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return(
            project=local_project, by=reviewer, comment="Bổ sung báo giá"
        )
    item = Notification.objects.get(user=staff)
    assert item.kind == NotificationKind.RETURNED
    assert item.body == "Bổ sung báo giá"
    assert titles(other) == []
    assert [m.to for m in mailoutbox] == [["staff@kc.test"]]


def test_returning_tells_all_staff_when_the_drafter_left(
    staff, reviewer, local_project, django_capture_on_commit_callbacks
):
    other = make_user("staff2", Role.STAFF)
    services.project_submit(project=local_project, by=staff, day=dt.date(2026, 3, 2))
    staff.is_active = False
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_return(project=local_project, by=reviewer, comment="Sửa")
    assert len(titles(other)) == 1


def test_email_off_still_fills_the_inbox(
    as_user, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    client = as_user(reviewer)
    response = client.post(reverse("dashboard:preferences"), {})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=reviewer).email_enabled is False
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[reviewer],
            kind=NotificationKind.REPORT_READY,
            title="Báo cáo đã sẵn sàng",
            link="/bao-cao/1/",
        )
    assert mailoutbox == []
    assert titles(reviewer) == ["Báo cáo đã sẵn sàng"]
    # ... and the digest leaves them alone too.
    daily_digest.delay()
    assert mailoutbox == []


def test_an_email_goes_out_once_even_if_the_task_runs_twice(
    manager, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.sending import notification_send_emails

    with django_capture_on_commit_callbacks(execute=True):
        (item,) = notify(users=[manager], kind=NotificationKind.OTHER, title="X")
    assert notification_send_emails(ids=[item.pk]) == 0
    assert len(mailoutbox) == 1


def test_the_inbox_shows_the_unread_count_and_marks_items_read(as_user, staff, manager):
    notify(users=[staff], kind=NotificationKind.OTHER, title="Một", email=False)
    (two,) = notify(
        users=[staff],
        kind=NotificationKind.OTHER,
        title="Hai",
        link="/de-an/",
        email=False,
    )
    notify(users=[manager], kind=NotificationKind.OTHER, title="Của người khác")
    client = as_user(staff)
    response = client.get(INBOX)
    body = response.content.decode()
    assert [n.title for n in response.context["page"]] == ["Hai", "Một"]
    assert "Của người khác" not in body
    nav = next(i for i in response.context["nav_items"] if i["url"] == INBOX)
    assert nav["count"] == 2

    response = client.post(reverse("dashboard:open", args=[two.pk]))
    assert response.status_code == 302 and response.url == "/de-an/"
    two.refresh_from_db()
    assert two.is_read
    client.post(INBOX)
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=manager, read_at__isnull=True).count() == 1


def test_nobody_cannot_open_someone_elses_item(as_user, staff, manager):
    (item,) = notify(users=[manager], kind=NotificationKind.OTHER, title="Riêng")
    response = as_user(staff).post(reverse("dashboard:open", args=[item.pk]))
    assert response.status_code == 404


def test_an_outside_link_is_not_followed(as_user, staff):
    (item,) = notify(
        users=[staff],
        kind=NotificationKind.OTHER,
        title="Lạ",
        link="https://evil.example/",
        email=False,
    )
    response = as_user(staff).post(reverse("dashboard:open", args=[item.pk]))
    assert response.url == INBOX


def test_users_without_a_role_have_no_inbox(as_user, nobody):
    assert as_user(nobody).get(INBOX).status_code == 403


# --- the daily digest --------------------------------------------------------------


def test_the_daily_digest_sends_each_user_one_email_once_a_day(
    staff, reviewer, manager, local_plan, establishment, mailoutbox
):
    today = timezone.localdate()
    quiet = make_user("staff_quiet", Role.STAFF)
    NotificationPreference.objects.create(user=quiet, email_enabled=False)
    make_user("manager_idle", Role.MANAGER)
    # Submitted: reviewer gets an inbox item (on-commit callbacks do not run in
    # this test transaction, so no immediate e-mail) and a to-do item.
    submitted = make_project(
        staff, {local_plan: 100_000_000}, beneficiaries=[establishment]
    )
    services.project_submit(project=submitted, by=staff, day=dt.date(2026, 3, 2))
    notify(
        users=[reviewer],
        kind=NotificationKind.SUBMITTED,
        title="Đề án chờ thẩm định",
        email=False,
    )
    # Ending within 30 days: the drafter (staff) is reminded.
    ending = make_project(
        staff,
        {local_plan: 100_000_000},
        beneficiaries=[establishment],
        start_date=today - dt.timedelta(days=60),
        end_date=today + dt.timedelta(days=12),
    )
    advance(ending, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    Inspection.objects.create(
        project=ending, planned_date=today + dt.timedelta(days=3), recorded_by=staff
    )
    Inspection.objects.create(
        project=ending, planned_date=today + dt.timedelta(days=20), recorded_by=staff
    )
    notify(users=[manager], kind=NotificationKind.REPORT_READY, title="Báo cáo quý")
    notify(users=[quiet], kind=NotificationKind.OTHER, title="Không gửi thư")
    mailoutbox.clear()

    daily_digest.delay()
    daily_digest.delay()

    assert sorted(m.to[0] for m in mailoutbox) == [
        "manager@kc.test",
        "reviewer@kc.test",
        "staff@kc.test",
    ]
    by_user = {m.to[0]: m for m in mailoutbox}
    assert {m.subject for m in mailoutbox} == {
        "Tổng hợp thông báo ngày " + today.strftime("%d/%m/%Y")
    }
    assert "Đề án chờ thẩm định" in by_user["reviewer@kc.test"].body
    assert f"Đề án {ending.code} kết thúc" in by_user["staff@kc.test"].body
    assert f"Kiểm tra đề án {ending.code} dự kiến ngày" in (
        by_user["staff@kc.test"].body
    )
    assert by_user["staff@kc.test"].body.count("Kiểm tra đề án") == 1
    assert "Báo cáo quý" in by_user["manager@kc.test"].body
    # the reminder was made once, although the run happened twice
    for kind in (NotificationKind.ENDING_SOON, NotificationKind.INSPECTION_DUE):
        assert Notification.objects.filter(user=staff, kind=kind).count() == 1
    assert titles(quiet) == ["Không gửi thư"]


def test_the_digest_goes_out_again_the_next_day(manager, mailoutbox):
    from notifications.digest import digest_send

    notify(users=[manager], kind=NotificationKind.OTHER, title="Chưa đọc")
    mailoutbox.clear()
    today = timezone.localdate()
    assert digest_send(today=today) == 1
    assert digest_send(today=today) == 0
    assert digest_send(today=today + dt.timedelta(days=1)) == 1
    assert len(mailoutbox) == 2


def test_a_digest_that_failed_to_send_goes_out_on_the_retry(
    manager, reviewer, settings, mailoutbox
):
    import smtplib

    from notifications.digest import digest_send

    notify(users=[manager], kind=NotificationKind.OTHER, title="Chưa đọc", email=False)
    today = timezone.localdate()
    settings.EMAIL_BACKEND = "tests.dashboard.mail_backends.DownBackend"
    with pytest.raises(smtplib.SMTPException):
        digest_send(today=today)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest_send(today=today) == 1
    assert digest_send(today=today) == 0
    assert [m.to for m in mailoutbox] == [["manager@kc.test"]]


def test_a_notice_that_failed_to_send_goes_out_on_the_retry(
    manager, settings, mailoutbox
):
    import smtplib

    from notifications.sending import notification_send_emails

    (item,) = notify(users=[manager], kind=NotificationKind.OTHER, title="Thư")
    settings.EMAIL_BACKEND = "tests.dashboard.mail_backends.DownBackend"
    with pytest.raises(smtplib.SMTPException):
        notification_send_emails(ids=[item.pk])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_send_emails(ids=[item.pk]) == 1
    assert notification_send_emails(ids=[item.pk]) == 0
    assert len(mailoutbox) == 1


def test_the_menus_unread_count_is_cached_until_the_inbox_changes(
    settings, as_user, staff, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.KC_INBOX_CACHE_SECONDS = 60
    cache.clear()
    client = as_user(staff)
    home = reverse("home")

    def badge() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(home)
        nav = next(i for i in response.context["nav_items"] if i["url"] == INBOX)
        return nav.get("count"), len(queries.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[staff], kind=NotificationKind.OTHER, title="Một", email=False)
    count, computed = badge()
    assert count == 1
    assert badge() == (1, computed - 1)
    # A new notice (bulk-written), one read, one deleted: each moves it.
    with django_capture_on_commit_callbacks(execute=True):
        (two,) = notify(
            users=[staff], kind=NotificationKind.OTHER, title="Hai", email=False
        )
    assert badge() == (2, computed)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboard:open", args=[two.pk]))
    assert badge() == (1, computed)
    with django_capture_on_commit_callbacks(execute=True):
        Notification.objects.filter(user=staff, read_at__isnull=True).delete()
    assert badge() == (0, computed)
    cache.clear()
