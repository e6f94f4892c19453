"""The inbox's URLs. They keep the "dashboard" namespace they were born in
(khuyencong/urls.py includes them under it), so links and tests stay valid."""

from django.urls import path

from . import views

urlpatterns = [
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/<int:pk>/mo/", views.notification_open, name="open"),
    path("thong-bao/cai-dat/", views.preferences, name="preferences"),
]
