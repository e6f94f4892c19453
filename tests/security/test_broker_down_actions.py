"""A committed action never answers with an error page when Redis is down.

The outside attack found submit and return saving the change and the inbox
notice, then failing after the commit (Django's robust on_commit logging a
functools.partial crashed) so that the user saw a 500 and might press again.
Now the notice's e-mail waits in the outbox and goes out once the broker is
back.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.sending import notification_send_due
from projects.models import Status
from tests.builders import DEAD_BROKER

# Real commits: the after-commit callbacks run as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def act(client, project, action: str, **data):
    url = reverse("projects:action", args=[project.pk, action])
    return client.post(url, data, follow=True)


def test_submit_and_return_succeed_without_a_broker_and_mail_later(
    broker, as_user, staff, reviewer, local_project, mailoutbox
):
    broker(DEAD_BROKER)

    submitted = act(as_user(staff), local_project, "submit")
    assert submitted.status_code == 200
    assert "Đã thực hiện “Gửi thẩm định”" in submitted.content.decode()
    local_project.refresh_from_db()
    assert local_project.status == Status.SUBMITTED

    returned = act(as_user(reviewer), local_project, "return", comment="Bổ sung")
    assert returned.status_code == 200
    local_project.refresh_from_db()
    assert local_project.status == Status.RETURNED

    # Both notices are in the inboxes; their e-mails wait for the broker.
    notices = Notification.objects.filter(email_due=True, emailed_at=None)
    assert set(notices.values_list("user__username", flat=True)) == {
        "reviewer",
        "staff",
    }
    assert mailoutbox == []

    # The broker is back: the next outbox run (beat) sends each e-mail once.
    broker("memory://")
    later = timezone.now() + dt.timedelta(minutes=3)
    assert notification_send_due(now=later) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["reviewer@kc.test", "staff@kc.test"]
    assert notification_send_due(now=later) == 0
    assert len(mailoutbox) == 2


def test_a_notice_is_not_sent_by_the_outbox_before_its_task_had_a_chance(
    broker, as_user, staff, reviewer, local_project, mailoutbox
):
    broker(DEAD_BROKER)
    act(as_user(staff), local_project, "submit")
    assert notification_send_due() == 0
    assert mailoutbox == []


def test_a_failing_listener_is_logged_not_shown(
    monkeypatch, as_user, staff, local_project, caplog
):
    """Whatever a listener raises after the commit (here a broken one) the
    committed transition answers with its success page."""
    from projects.services import frame

    def broken(**kwargs) -> None:
        raise ConnectionError("broker gone")

    # The frame reads its own module's list (projects.services re-exports it).
    monkeypatch.setattr(
        frame, "TRANSITION_LISTENERS", [*frame.TRANSITION_LISTENERS, broken]
    )
    response = act(as_user(staff), local_project, "submit")
    assert response.status_code == 200
    local_project.refresh_from_db()
    assert local_project.status == Status.SUBMITTED
    assert "after-commit listener broken failed" in caplog.text
