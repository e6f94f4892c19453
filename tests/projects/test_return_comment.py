"""The reviewer's return comment sits beside "Gửi lại" while it is to be met."""

from __future__ import annotations

import pytest

from projects import services

pytestmark = pytest.mark.django_db


def test_the_return_comment_is_shown_in_the_resubmit_form(
    as_user, staff, reviewer, local_project
):
    project = services.project_submit(project=local_project, by=staff)
    services.project_return(project=project, by=reviewer, comment="Thiếu báo giá")
    page = as_user(staff).get(project.get_absolute_url()).content.decode()
    form = page[page.index('data-action="resubmit"') :].split("</form>")[0]
    assert 'data-testid="return-comment"' in form
    assert "Thiếu báo giá" in form
    assert reviewer.get_full_name() in form
    # The level it came from: the Sở, whose step (receiving) was open.
    assert "(cấp Sở Công Thương)" in form


def test_no_comment_is_shown_before_any_return(as_user, staff, local_project):
    page = as_user(staff).get(local_project.get_absolute_url()).content.decode()
    assert 'data-testid="return-comment"' not in page
