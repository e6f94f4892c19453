from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from projects.services import TRANSITION_LISTENERS

        from .sending import on_project_transition

        if on_project_transition not in TRANSITION_LISTENERS:
            TRANSITION_LISTENERS.append(on_project_transition)
