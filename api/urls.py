from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("communes", views.CommuneViewSet, basename="commune")
router.register("report-jobs", views.ReportJobViewSet, basename="report-job")
router.register(
    "public/projects", views.PublicProjectViewSet, basename="public-project"
)

urlpatterns = [
    path("", include(router.urls)),
    path("exchange/", views.ExchangeView.as_view(), name="exchange"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
]
