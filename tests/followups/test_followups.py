"""Follow-ups after support (issue 21, point 5; acceptance 3): opened on
schedule by the daily task, once; reminded until done; filled by the
establishment (its own only) or recorded by the staff from a visit; the
figures reach the dashboard, the yearly summary and the follow-up report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp, FollowUpPhoto, FollowUpRule
from followups.services import Figures, followup_record, followup_remind
from followups.tasks import run
from notifications.models import Notification
from projects.models import Project
from tests.factories import pdf, png

from .opening import OPENING_DAY, M

pytestmark = pytest.mark.django_db


def answer(world, followup: FollowUp, **over) -> dict:
    """What the form posts: the machine is still in use, 30 jobs, 1.5 billion."""
    row = followup.equipment.get()
    return {
        f"eq{row.pk}_in_use": "yes",
        f"eq{row.pk}_remark": "Chạy hai ca",
        "jobs": "30",
        "revenue": "1.500.000.000",
        "products": "1200",
        "energy_kwh": "9000",
        "remarks": "Mở rộng xưởng",
        **over,
    }


# --- opening on schedule -----------------------------------------------------------


def test_it_opens_one_followup_per_beneficiary_12_months_after_settlement(world):
    assert world.open(OPENING_DAY - dt.timedelta(days=1)) == []
    opened = world.open()
    assert {f.project_id for f in opened} == {world.project_a.pk, world.project_b.pk}
    followup = world.followup_a()
    assert followup.opened_on == OPENING_DAY
    assert followup.due_on == dt.date(2027, 12, 31)
    assert followup.state(OPENING_DAY) == "open"
    assert followup.state(dt.date(2028, 1, 1)) == "overdue"
    # One row per machine of the project and establishment, not yet answered.
    machine = world.project_a.equipment.get()
    assert list(followup.equipment.values_list("equipment_id", "in_use")) == [
        (machine.pk, None)
    ]


def test_running_twice_opens_nothing_more(world):
    world.open()
    assert world.open() == []
    assert world.open(OPENING_DAY + dt.timedelta(days=40)) == []
    assert FollowUp.objects.count() == 2
    assert FollowUp.objects.get(project=world.project_a).equipment.count() == 1


def test_a_rule_row_sets_another_interval(world):
    FollowUpRule.objects.create(
        months_after_settlement=6,
        days_to_answer=10,
        valid_from=dt.date(2026, 1, 1),
        note="Thử nghiệm",
    )
    assert world.open(dt.date(2027, 5, 31)) == []
    assert len(world.open(dt.date(2027, 6, 1))) == 2
    assert world.followup_a().due_on == dt.date(2027, 6, 11)


def test_the_beat_task_opens_the_due_followups_idempotently(world):
    assert settings.CELERY_BEAT_SCHEDULE["followups-daily"]["task"] == "followups.run"
    # Settled long enough ago for today's run, whatever today is.
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    Project.objects.filter(pk=world.project_a.pk).update(settled_on=long_ago)
    first = run.apply().get()
    assert first["opened"] == 1 and first["reminded"] == 1
    assert run.apply().get() == {"opened": 0, "reminded": 0}
    assert FollowUp.objects.count() == 1


# --- reminders ---------------------------------------------------------------------


def test_reminders_go_at_opening_then_every_two_weeks_until_done(
    world, mailoutbox, django_capture_on_commit_callbacks, in_process
):
    world.open()
    user = world.applicant_a
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_remind(today=OPENING_DAY) == 2
        assert followup_remind(today=OPENING_DAY) == 0
        assert followup_remind(today=OPENING_DAY + dt.timedelta(days=13)) == 0
        assert followup_remind(today=OPENING_DAY + dt.timedelta(days=14)) == 2
    mine = Notification.objects.filter(user=user)
    assert mine.count() == 2
    assert "Theo dõi sau hỗ trợ" in mine.first().title
    assert mine.first().link == reverse("followups:fill", args=[world.followup_a().pk])
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [user.email, world.applicant_b.email] * 2
    )

    followup_record(
        followup=world.followup_a(),
        by=user,
        filled_by="applicant",
        figures=Figures(jobs=30, revenue=1500 * M),
        equipment={},
    )
    # Done: A hears nothing more; B, not done, is reminded again.
    assert followup_remind(today=OPENING_DAY + dt.timedelta(days=28)) == 1
    assert mine.count() == 2
    assert world.followup_a().reminders_sent == 2
    assert world.followup_b().reminders_sent == 3


def test_without_an_account_the_staff_are_reminded_to_visit(world, staff):
    world.applicant_b.applicant_link.delete()
    world.open()
    followup_remind(today=OPENING_DAY)
    item = Notification.objects.get(user=staff)
    assert item.link == reverse("followups:record", args=[world.followup_b().pk])


# --- the establishment fills its own ------------------------------------------


def test_the_applicant_fills_its_followup_from_a_phone(world, client):
    world.open()
    followup = world.followup_a()
    client.force_login(world.applicant_a)
    url = reverse("followups:fill", args=[followup.pk])
    page = client.get(reverse("followups:mine")).content.decode()
    assert url in page and "Trả lời ngay" in page
    page = client.get(url).content.decode()
    assert "Còn sử dụng?" in page and 'capture="environment"' in page

    response = client.post(url, {**answer(world, followup), "photo": png()})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.is_done and followup.filled_by == "applicant"
    assert (followup.jobs, followup.revenue, followup.products) == (30, 1500 * M, 1200)
    assert followup.recorded_by == world.applicant_a
    assert list(followup.equipment.values_list("in_use", "remark")) == [
        (True, "Chạy hai ca")
    ]
    photo = followup.photos.get()
    response = client.get(reverse("followups:photo", args=[followup.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_missing_answer_or_a_bad_photo_changes_nothing(world, client):
    world.open()
    followup = world.followup_a()
    client.force_login(world.applicant_a)
    url = reverse("followups:fill", args=[followup.pk])
    row = followup.equipment.get()
    response = client.post(url, answer(world, followup, **{f"eq{row.pk}_in_use": ""}))
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    # A PDF named like a photo: refused as the staff's photo form refuses it.
    fake = SimpleUploadedFile("may.png", pdf().read(), content_type="image/png")
    response = client.post(url, {**answer(world, followup), "photo": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    followup.refresh_from_db()
    assert not followup.is_done and followup.jobs is None
    assert not FollowUpPhoto.objects.exists()


def test_an_applicant_of_a_never_reaches_b_s_followup(world, client):
    world.open()
    followup_record(
        followup=world.followup_b(),
        by=world.applicant_b,
        filled_by="applicant",
        figures=Figures(jobs=5, revenue=M),
        equipment={},
        photos=[png()],
    )
    b = world.followup_b()
    client.force_login(world.applicant_a)
    assert client.get(reverse("followups:fill", args=[b.pk])).status_code == 404
    response = client.post(reverse("followups:fill", args=[b.pk]), answer(world, b))
    assert response.status_code == 404
    photo = b.photos.get()
    assert (
        client.get(reverse("followups:photo", args=[b.pk, photo.pk])).status_code == 404
    )
    assert client.get(reverse("followups:list")).status_code == 403
    assert client.get(reverse("followups:record", args=[b.pk])).status_code == 403
    page = client.get(reverse("followups:mine")).content.decode()
    assert world.project_b.code not in page and world.project_a.code in page
    b.refresh_from_db()
    assert b.jobs == 5


# --- the centre ---------------------------------------------------------------


def test_staff_list_by_state_and_record_a_visit(
    world, staff, as_user, django_assert_num_queries
):
    world.open()
    # Whatever today is: A's is long past due, B's far ahead.
    FollowUp.objects.filter(project=world.project_a).update(due_on=dt.date(2000, 1, 1))
    FollowUp.objects.filter(project=world.project_b).update(due_on=dt.date(2999, 1, 1))
    client = as_user(staff)
    # session, user, roles; the state counts (one query), the page's count and
    # its rows; the navigation's to-do and unread counts.
    with django_assert_num_queries(8):
        response = client.get(reverse("followups:list"), {"state": "overdue"})
    assert [f.pk for f in response.context["page"]] == [world.followup_a().pk]
    assert response.context["states"][1][2] == 1
    response = client.get(reverse("followups:list"), {"state": "open"})
    assert [f.pk for f in response.context["page"]] == [world.followup_b().pk]
    url = reverse("followups:record", args=[world.followup_b().pk])
    response = client.post(
        url, {**answer(world, world.followup_b()), "visit_date": "2027-12-05"}
    )
    assert response.status_code == 302
    b = world.followup_b()
    assert b.filled_by == "visit" and b.visit_date == dt.date(2027, 12, 5)
    assert b.recorded_by == staff
    done = client.get(reverse("followups:list"), {"state": "done"})
    assert [f.pk for f in done.context["page"]] == [b.pk]
    assert "Cán bộ đi thực tế" in done.content.decode()


def test_a_run_with_nothing_to_open_reads_the_same_queries_whatever_the_count(
    world, django_assert_num_queries
):
    world.open()
    FollowUpRule.objects.create(valid_from=dt.date(2020, 1, 1))
    # The rules, the settled projects, their beneficiaries and follow-ups.
    with django_assert_num_queries(4):
        assert world.open(OPENING_DAY + dt.timedelta(days=1)) == []
    for followup in FollowUp.objects.all():
        followup_record(
            followup=followup,
            by=world.applicant_a,
            filled_by="applicant",
            figures=Figures(jobs=1, revenue=M),
            equipment={},
        )
    # Nothing left to remind: the rules and the follow-ups not done.
    with django_assert_num_queries(2):
        assert followup_remind(today=OPENING_DAY + dt.timedelta(days=30)) == 0
