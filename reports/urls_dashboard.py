from django.urls import path

from . import views_dashboard as views

app_name = "dashboard"

urlpatterns = [
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("do-bao-phu/", views.coverage, name="coverage"),
    path("canh-bao/", views.warnings, name="warnings"),
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/<int:pk>/mo/", views.notification_open, name="open"),
    path("thong-bao/cai-dat/", views.preferences, name="preferences"),
]
