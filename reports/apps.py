from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from projects.services import TRANSITION_LISTENERS

        from .notifications import on_project_transition

        if on_project_transition not in TRANSITION_LISTENERS:
            TRANSITION_LISTENERS.append(on_project_transition)
