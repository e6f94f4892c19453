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

        from django.db.models.signals import post_delete, post_save

        from .inbox import notification_saved
        from .models import Notification

        # The menu's cached unread counts (notifications.inbox).
        post_save.connect(notification_saved, sender=Notification)
        post_delete.connect(notification_saved, sender=Notification)
