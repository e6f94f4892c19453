import importlib

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Support projects")

    def ready(self) -> None:
        from enterprises.views import DETAIL_SECTIONS

        from .sections import establishment_equipment, establishment_support

        for section in (establishment_support, establishment_equipment):
            if section not in DETAIL_SECTIONS:
                DETAIL_SECTIONS.append(section)
        post_migrate.connect(
            restore_reference_data, sender=self, dispatch_uid="kc-projects-seed"
        )


def restore_reference_data(sender=None, using: str = "default", **kwargs) -> None:
    """Put the seeded contents and rules back after a flush empties them.

    The data migration seeds a new database once; a `flush` (transactional
    tests, a reset) empties the tables and then emits post_migrate.
    """
    from .models import ActivityContent

    if not ActivityContent.objects.using(using).exists():
        migration = importlib.import_module(
            "projects.migrations.0002_seed_contents_and_rules"
        )
        migration.seed(global_apps, None)
