from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Appraisal councils")

    def ready(self) -> None:
        post_migrate.connect(
            restore_reference_data, sender=self, dispatch_uid="kc-appraisal-ref"
        )


def restore_reference_data(sender: Any = None, using: str = "default", **kw: Any):
    """A `flush` empties the criteria tables and then emits post_migrate: put
    back the default set with the data migration's function."""
    from enterprises.apps import reference_tables_exist

    from . import reference_data

    if reference_tables_exist("appraisal", using):
        reference_data.load(global_apps)
