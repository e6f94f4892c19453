from django.urls import path

from .views import accounts, projects, requests, signup, staff

app_name = "applicants"

urlpatterns = [
    path("dang-ky/", signup.signup, name="signup"),
    path("dang-ky/da-gui/", signup.signup_done, name="signup_done"),
    path("dang-ky/xac-nhan/<str:uidb64>/<str:token>/", signup.confirm, name="confirm"),
    path("thu-huong/", requests.home, name="home"),
    path("thu-huong/de-nghi/moi/", requests.request_new, name="request_new"),
    path("thu-huong/de-nghi/kiem-tra/", requests.request_check, name="request_check"),
    path("thu-huong/de-nghi/<int:pk>/", requests.request_detail, name="request"),
    path("thu-huong/de-nghi/<int:pk>/sua/", requests.request_edit, name="request_edit"),
    path(
        "thu-huong/de-nghi/<int:pk>/tai-lieu/",
        requests.request_document_add,
        name="request_document_add",
    ),
    path(
        "thu-huong/de-nghi/<int:pk>/gui/",
        requests.request_submit,
        name="request_submit",
    ),
    path(
        "thu-huong/de-nghi/<int:pk>/tra-loi/",
        requests.request_answer,
        name="request_answer",
    ),
    path("thu-huong/du-an/", projects.projects, name="projects"),
    path("thu-huong/du-an/<int:pk>/", projects.project, name="project"),
    path(
        "thu-huong/du-an/<int:pk>/tai-lieu/<int:attachment_pk>/",
        projects.project_document,
        name="project_document",
    ),
    path(
        "de-nghi/<int:pk>/tai-lieu/<int:document_pk>/",
        requests.document,
        name="document",
    ),
    path("de-nghi/tai-khoan/", staff.staff_accounts, name="staff_accounts"),
    path(
        "de-nghi/tai-khoan/<int:pk>/xac-minh/", staff.staff_verify, name="staff_verify"
    ),
    path(
        "de-nghi/co-so/<int:pk>/tai-khoan/",
        accounts.establishment_accounts,
        name="establishment_accounts",
    ),
    path(
        "de-nghi/co-so/<int:pk>/tai-khoan/them/",
        accounts.account_add,
        name="account_add",
    ),
    path(
        "de-nghi/tai-khoan/<int:pk>/mo-khoa/",
        accounts.account_active,
        name="account_active",
    ),
    path("de-nghi/", staff.staff_requests, name="staff_requests"),
    path("de-nghi/<int:pk>/", staff.staff_request, name="staff_request"),
    path("de-nghi/<int:pk>/hoi/", staff.staff_ask, name="staff_ask"),
    path("de-nghi/<int:pk>/tu-choi/", staff.staff_decline, name="staff_decline"),
    path("de-nghi/<int:pk>/lap-du-an/", staff.staff_convert, name="staff_convert"),
    path("de-nghi/<int:pk>/gop-du-an/", staff.staff_join, name="staff_join"),
]
