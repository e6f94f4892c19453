from typing import Any

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
            restore_reference_data, sender=self, dispatch_uid="kc-projects-ref"
        )
        from .dataversion import watch

        watch()


def restore_reference_data(sender: Any = None, using: str = "default", **kw: Any):
    """A `flush` empties the reference tables and then emits post_migrate: put
    back what the data migration made, with the same functions."""
    from enterprises.apps import reference_tables_exist

    from . import reference_data

    if reference_tables_exist("projects", using):
        reference_data.load(global_apps)
        # Written in bulk (no post_save): the names drawn from the old rows
        # retire as a save of an activity content would retire them.
        from .dataversion import changed_names

        changed_names()
