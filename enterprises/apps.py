import importlib

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Establishments")

    def ready(self) -> None:
        from . import roles

        # Permissions exist only after each app's post_migrate; re-sync the
        # role groups every time so a new model's permissions reach them.
        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="kc-roles")
        post_migrate.connect(
            ensure_reference_data, sender=self, dispatch_uid="kc-admin-units"
        )


def ensure_reference_data(sender=None, using: str = "default", **kwargs) -> None:
    """Reference data must survive a `flush` (transactional tests, resets).

    The migration loads the units once; a flush empties the tables and then
    emits post_migrate, so they are put back here when missing.
    """
    from .admin_units import load_admin_units
    from .models import Commune, Sector

    if not Commune.objects.using(using).exists():
        load_admin_units()
    if not Sector.objects.using(using).exists():
        migration = importlib.import_module("enterprises.migrations.0003_seed_sectors")
        migration.seed_sectors(global_apps, None)
