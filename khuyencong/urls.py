from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dashboard import urls as dashboard_urls
from notifications import urls as notification_urls

from . import language, profile, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("nhat-ky-thay-doi/", views.audit, name="audit"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", profile.profile, name="profile"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail, for the establishments' accounts above all.
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("applicants.urls")),
    path("", include("followups.urls")),
    path("", include("enterprises.urls")),
    path("", include("projects.urls.projects")),
    path("", include("projects.urls.execution")),
    path("", include("reports.urls")),
    path("", include("appraisal.urls")),
    # The inbox's URL names kept the "dashboard" namespace they were born in.
    path(
        "",
        include(
            (
                [*dashboard_urls.urlpatterns, *notification_urls.urlpatterns],
                "dashboard",
            )
        ),
    ),
    path("", include("public.urls")),
    path("api/v1/", include("api.urls")),
    # Django's view under its URL and name, also keeping a signed-in user's
    # choice on their account.
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("quan-tri/", admin.site.urls),
]

admin.site.site_header = "Cổng Khuyến công — Quản trị"
admin.site.site_title = "Cổng Khuyến công"
admin.site.index_title = _("Administration")
