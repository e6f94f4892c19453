from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.request_report, name="request"),
    path("bao-cao/lich-su/", views.history, name="history"),
    path("bao-cao/<int:pk>/", views.job_detail, name="detail"),
    path("bao-cao/<int:pk>/trang-thai/", views.job_status, name="status"),
    path("bao-cao/<int:pk>/tai/<str:fmt>/", views.download, name="download"),
    path("bao-cao/<int:pk>/ban-hanh/", views.issue, name="issue"),
    path(
        "bao-cao/giay-to/<int:project_pk>/<slug:key>/",
        views.paper,
        name="paper",
    ),
    path(
        "bao-cao/bien-ban-hoi-dong/<int:council_pk>/",
        views.council_minutes,
        name="council_minutes",
    ),
    path(
        "bao-cao/ho-so-de-an/<int:project_pk>/",
        views.request_dossier,
        name="dossier",
    ),
]
