from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Post-closure follow-up")

    def ready(self) -> None:
        # The dashboard's impact card reads the follow-ups: their writes
        # retire the cached figures like the projects' own.
        from projects.dataversion import watch_models

        from .models import FollowUp, FollowUpEquipment

        watch_models(FollowUp, FollowUpEquipment)
