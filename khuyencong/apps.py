from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhuyencongConfig(AppConfig):
    """The wiring app: home page, health check, demo data command, the
    profile page and the user's interface language."""

    # Chosen for "khuyencong" in INSTALLED_APPS although this module holds
    # two configs (the other is django-axes' under our name).
    default = True
    name = "khuyencong"
    verbose_name = "Cổng Khuyến công"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .language import apply_at_login

        user_logged_in.connect(apply_at_login, dispatch_uid="kc-language-at-login")


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a name the admin shows in the user's language."""

    verbose_name = _("Login attempts")
