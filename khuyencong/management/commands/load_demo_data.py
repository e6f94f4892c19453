"""Demo users and records for `make run`. Refuses to run in production."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from enterprises.roles import GROUP_NAMES, Role

DEMO_PASSWORD = "khuyencong-demo"  # noqa: S105 - documented demo login, DEBUG only

DEMO_USERS = [
    # username, full name, role
    ("chuyenvien", "Lê Thị Hoa", Role.STAFF),
    ("thamdinh", "Nguyễn Văn Minh", Role.REVIEWER),
    ("lanhdao", "Trần Quốc Hùng", Role.MANAGER),
    ("quantri", "Phạm Thu Trang", Role.ADMIN),
]


class Command(BaseCommand):
    help = "Create demo users (one per role) and sample records. DEBUG only."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Từ chối nạp dữ liệu mẫu khi DEBUG tắt (môi trường thật). "
                "Refusing to load demo data with DEBUG off."
            )
        from projects.demo import load_demo_plans

        with transaction.atomic():
            for username, full_name, role in DEMO_USERS:
                self._user(username, full_name, role)
            load_demo_plans()
        self.stdout.write(
            f"Đã có {len(DEMO_USERS)} tài khoản mẫu, mật khẩu: {DEMO_PASSWORD}"
        )

    def _user(self, username: str, full_name: str, role: str) -> User:
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
