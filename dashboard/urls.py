"""Dashboard URLs; khuyencong/urls.py includes them, with the inbox's, under
the "dashboard" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("do-bao-phu/", views.coverage, name="coverage"),
    path("canh-bao/", views.warnings, name="warnings"),
]
