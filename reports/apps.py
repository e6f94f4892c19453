from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The council's minutes take their number from the centre's register
        # (reports.minutes); appraisal, below reports, calls it through its hook.
        from appraisal.services import MINUTES_NUMBERING

        from .minutes import minutes_register

        if minutes_register not in MINUTES_NUMBERING:
            MINUTES_NUMBERING.append(minutes_register)
        post_migrate.connect(
            restore_reference_data, sender=self, dispatch_uid="kc-reports-ref"
        )


def restore_reference_data(sender: Any = None, using: str = "default", **kw: Any):
    """A `flush` empties the default schedules and then emits post_migrate:
    put them back with the data migration's function."""
    from enterprises.apps import reference_tables_exist

    from . import reference_data

    if reference_tables_exist("reports", using):
        reference_data.load(global_apps)
