from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public disclosure")

    def ready(self) -> None:
        # The public page's cached fragments are keyed by the dashboard's data
        # version (dashboard.board.data_version), which the dashboard retires
        # on commit of any write to projects, money or the registry. A
        # withholding, and the names the page prints (programmes, contents),
        # retire it too.
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from dashboard.board import data_changed
        from projects.models import ActivityContent, Programme

        from .models import Withholding

        def changed(**kwargs) -> None:
            transaction.on_commit(data_changed)

        for model in (Withholding, Programme, ActivityContent):
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
