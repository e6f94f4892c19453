"""manage.py import_exchange file.json [--user username]"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.exchange import exchange_import
from projects.models import Refused

# Who the imported rows are recorded by when no --user is given: an account
# that cannot sign in.
IMPORT_USER = "trao-doi-du-lieu"


class Command(BaseCommand):
    help = "Read a national exchange file (JSON) into this database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", help="username recorded as the author")

    def handle(self, *args, file: str, user: str | None, **kw):
        User = get_user_model()
        if user:
            try:
                by = User.objects.get(username=user)
            except User.DoesNotExist as exc:
                raise CommandError(f"No user {user!r}.") from exc
        else:
            by, created = User.objects.get_or_create(
                username=IMPORT_USER, defaults={"is_active": False}
            )
            if created:
                by.set_unusable_password()
                by.save()
        with open(file, encoding="utf-8") as f:
            data = json.load(f)
        try:
            counts = exchange_import(data=data, by=by)
        # A file that cannot be read in, or a row the money gate refuses.
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{counts['projects']} projects, {counts['establishments']} establishments"
        )
