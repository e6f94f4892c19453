from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")
    # The cached boards are keyed by the data version (projects.dataversion),
    # which every write they read retires on commit.
