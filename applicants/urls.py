from django.urls import path

from . import views

app_name = "applicants"

urlpatterns = [
    path("dang-ky/", views.signup, name="signup"),
    path("dang-ky/da-gui/", views.signup_done, name="signup_done"),
    path("dang-ky/xac-nhan/<str:uidb64>/<str:token>/", views.confirm, name="confirm"),
    path("thu-huong/", views.home, name="home"),
    path("thu-huong/de-nghi/moi/", views.request_new, name="request_new"),
    path("thu-huong/de-nghi/<int:pk>/", views.request_detail, name="request"),
    path("thu-huong/de-nghi/<int:pk>/sua/", views.request_edit, name="request_edit"),
    path(
        "thu-huong/de-nghi/<int:pk>/tai-lieu/",
        views.request_document_add,
        name="request_document_add",
    ),
    path(
        "thu-huong/de-nghi/<int:pk>/gui/", views.request_submit, name="request_submit"
    ),
    path(
        "thu-huong/de-nghi/<int:pk>/tra-loi/",
        views.request_answer,
        name="request_answer",
    ),
    path("thu-huong/du-an/", views.projects, name="projects"),
    path(
        "de-nghi/<int:pk>/tai-lieu/<int:document_pk>/",
        views.document,
        name="document",
    ),
    path("de-nghi/tai-khoan/", views.staff_accounts, name="staff_accounts"),
    path(
        "de-nghi/tai-khoan/<int:pk>/xac-minh/", views.staff_verify, name="staff_verify"
    ),
    path("de-nghi/", views.staff_requests, name="staff_requests"),
    path("de-nghi/<int:pk>/", views.staff_request, name="staff_request"),
    path("de-nghi/<int:pk>/hoi/", views.staff_ask, name="staff_ask"),
    path("de-nghi/<int:pk>/tu-choi/", views.staff_decline, name="staff_decline"),
    path("de-nghi/<int:pk>/lap-du-an/", views.staff_convert, name="staff_convert"),
]
