"""Demo users and a realistic Thanh Hóa data set for `make run`. DEBUG only.

`seed_demo` creates the four demo users (one per role) and, once, the demo
registry and projects (devdata.establishments, devdata.projects); run again it adds
nothing. `seed_demo --scale N` instead makes N synthetic projects for load
tests (devdata.stress).
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.roles import GROUP_NAMES, Role

DEMO_PASSWORD = "khuyencong-demo"  # noqa: S105 - documented demo login, DEBUG only

DEMO_USERS = [
    # username, full name, role
    ("chuyenvien", "Lê Thị Hoa", Role.STAFF),
    ("thamdinh", "Nguyễn Văn Minh", Role.REVIEWER),
    ("lanhdao", "Trần Quốc Hùng", Role.MANAGER),
    ("quantri", "Phạm Thu Trang", Role.ADMIN),
]


def demo_user(username: str, full_name: str, role: str) -> User:
    """The demo user, created with the documented password if missing."""
    first, _sep, last = full_name.rpartition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@khuyencong.local",
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


def demo_notices() -> int:
    """The inbox items the demo's open projects would have left: reviewers
    told of what waits for appraisal, staff of what came back. The seeding
    itself runs without notices (2017's submissions are not news), and these
    go to the inbox only, not by e-mail."""
    from notifications.models import Notification, NotificationKind
    from notifications.sending import notify
    from notifications.sending import users_with_role as role_users
    from projects.models import Project, Status

    made = 0
    waiting = Project.objects.filter(
        status__in=(Status.SUBMITTED, Status.RETURNED)
    ).order_by("code")
    for project in waiting:
        last = project.transitions.order_by("-pk").first()
        params = {"code": project.code, "title": project.title}
        if project.status == Status.SUBMITTED:
            users = role_users(Role.REVIEWER)
            kind = NotificationKind.SUBMITTED
            title = _("Project %(code)s was submitted for appraisal") % params
            body = project.title
        else:
            users = [project.created_by]
            kind = NotificationKind.RETURNED
            title = _("Project %(code)s was returned for changes") % params
            body = last.comment
        rows = notify(
            users=users,
            kind=kind,
            title=title,
            body=body,
            link=project.get_absolute_url(),
            email=False,
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(created=last.at)
        made += len(rows)
    return made


class Command(BaseCommand):
    help = (
        "Create the demo users and a realistic Thanh Hóa data set (2017–2027), "
        "once; --scale N makes N synthetic projects instead. DEBUG only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="Synthetic data for load tests: N projects (devdata.stress).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Từ chối nạp dữ liệu mẫu khi DEBUG tắt (môi trường thật). "
                "Refusing to load demo data with DEBUG off."
            )
        if options.get("scale") is not None:
            if options["scale"] < 1:
                raise CommandError("--scale N cần N ≥ 1 (N must be at least 1).")
            from devdata.stress import seed_scale

            seed_scale(n=options["scale"], stdout=self.stdout)
            return
        from devdata.projects import demo_seeded

        started = time.perf_counter()
        with transaction.atomic():
            users = {
                role: demo_user(username, full_name, role)
                for username, full_name, role in DEMO_USERS
            }
            if demo_seeded():
                self.stdout.write("Dữ liệu mẫu đã có: không thêm gì.")
            else:
                from projects.models.year_ends import kept_at_the_end

                # The demo's timelines are backdated after the steps ran: the
                # statuses at year end and the dashboard's totals are computed
                # once, from the finished timelines, when the block ends.
                with kept_at_the_end():
                    counts, notices, requests, establishments, regions = self._seed(
                        users
                    )
                summary = ", ".join(f"{s}: {n}" for s, n in sorted(counts.items()))
                self.stdout.write(
                    f"Đã nạp {len(establishments)} cơ sở, {sum(counts.values())} "
                    f"đề án ({summary}), {notices} thông báo, {requests} đề nghị "
                    f"của tài khoản cơ sở `coso`; gán vùng cho "
                    f"{regions} xã/phường "
                    f"trong {time.perf_counter() - started:.1f} giây."
                )
        self.stdout.write(
            f"Đã có {len(DEMO_USERS)} tài khoản mẫu, mật khẩu: {DEMO_PASSWORD}"
        )

    def _seed(self, users: dict[str, User]) -> tuple[dict, int, int, dict, int]:
        """The demo data: counts per status, notices, requests, establishments
        and communes given a region."""
        from devdata.applicants import seed_applicants
        from devdata.councils import seed_councils
        from devdata.establishments import demo_establishments, demo_regions
        from devdata.followups import seed_followups
        from devdata.projects import SEED, seed_projects

        rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
        regions = demo_regions()
        establishments = demo_establishments(rng)
        counts = seed_projects(
            staff=users[Role.STAFF],
            reviewer=users[Role.REVIEWER],
            establishments=establishments,
        )
        # The councils that scored the local projects (issue 14).
        seed_councils(reviewer=users[Role.REVIEWER])
        notices = demo_notices()
        requests = seed_applicants(staff=users[Role.STAFF], password=DEMO_PASSWORD)
        seed_followups(staff=users[Role.STAFF])
        return counts, notices, requests, establishments, regions
