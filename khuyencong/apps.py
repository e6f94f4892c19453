from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhuyencongConfig(AppConfig):
    """The wiring app: home page, health check, demo data command."""

    name = "khuyencong"
    verbose_name = "Cổng Khuyến công"


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a name the admin shows in the user's language."""

    verbose_name = _("Login attempts")
