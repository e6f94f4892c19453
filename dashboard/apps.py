from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # The cached boards are retired when data they read is written
        # (board.data_changed, on commit). A signal rather than a call in
        # each service: the projects app must not know the dashboard exists,
        # and this is cache bookkeeping, not a business rule.
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from enterprises.models import Establishment
        from projects.models import (
            Acceptance,
            CarryForward,
            Disbursement,
            Plan,
            Project,
            ProjectFunding,
        )

        from .board import data_changed

        def changed(**kwargs) -> None:
            transaction.on_commit(data_changed)

        for model in (
            Plan,
            Project,
            ProjectFunding,
            Disbursement,
            CarryForward,
            Acceptance,
            Establishment,
        ):
            post_save.connect(changed, sender=model, weak=False)
            post_delete.connect(changed, sender=model, weak=False)
        m2m_changed.connect(changed, sender=Project.beneficiaries.through, weak=False)
