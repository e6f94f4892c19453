from django.apps import AppConfig


class KhuyencongConfig(AppConfig):
    """The wiring app: home page, health check, demo data command."""

    name = "khuyencong"
    verbose_name = "Cổng Khuyến công"
