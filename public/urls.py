from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("cong-khai/", views.index, name="index"),
    path("cong-khai/tai-ve.csv", views.download_csv, name="csv"),
    path("cong-khai/tai-ve.xlsx", views.download_xlsx, name="xlsx"),
]
