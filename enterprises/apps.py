from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Establishments")

    def ready(self) -> None:
        from . import roles

        # Permissions exist only after each app's post_migrate; re-sync the
        # role groups after the last one so a new model's permissions reach
        # them.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="kc-roles")
        post_migrate.connect(
            restore_reference_data, sender=self, dispatch_uid="kc-enterprises-ref"
        )


def reference_tables_exist(app_label: str, using: str) -> bool:
    """False while the app is migrated backwards (nothing to restore into)."""
    with connections[using].cursor() as cursor:
        tables = set(connections[using].introspection.table_names(cursor))
    return all(
        model._meta.db_table in tables
        for model in global_apps.get_app_config(app_label).get_models()
    )


def restore_reference_data(sender: Any = None, using: str = "default", **kw: Any):
    """A `flush` empties the reference tables and then emits post_migrate: put
    back what the data migration made, with the same functions."""
    from . import reference_data

    if reference_tables_exist("enterprises", using):
        reference_data.load(global_apps)
