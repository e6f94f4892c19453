from django.urls import path

from ..views import projects as views

app_name = "projects"

urlpatterns = [
    path("de-an/", views.project_list, name="list"),
    path("de-an/xuat.xlsx", views.project_export, name="export"),
    path("de-an/moi/", views.project_create, name="create"),
    path("de-an/<int:pk>/", views.project_detail, name="detail"),
    path("de-an/<int:pk>/sua/", views.project_edit, name="edit"),
    path("de-an/<int:pk>/xoa/", views.project_delete_view, name="delete"),
    path("de-an/<int:pk>/thao-tac/<str:action>/", views.project_action, name="action"),
    path("de-an/<int:pk>/tai-lieu/", views.attachment_upload, name="attach"),
    path(
        "de-an/<int:pk>/tai-lieu/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("viec-can-lam/", views.todo, name="todo"),
    path("ke-hoach/", views.plan_list, name="plans"),
]
