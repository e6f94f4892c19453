"""The notification inbox and e-mail settings: anyone holding a role, each
sees only their own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.policy import require

from .inbox import notification_mark_read
from .models import Notification, NotificationPreference

INBOX_PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "use_inbox")
    if request.method == "POST":
        count = notification_mark_read(user=request.user)
        messages.success(
            request, _("%(n)s notifications marked as read.") % {"n": count}
        )
        return redirect("dashboard:inbox")
    items = Notification.objects.for_user(request.user).order_by("-created", "-pk")
    page = Paginator(items, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one item read and follow its link (only to this site)."""
    item = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification_mark_read(user=request.user, ids=[item.pk])
    if item.link and url_has_allowed_host_and_scheme(
        item.link, allowed_hosts={request.get_host()}
    ):
        return redirect(item.link)
    return redirect("dashboard:inbox")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled"]
        widgets = {
            "email_enabled": forms.CheckboxInput(attrs={"class": "form-check-input"})
        }


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    require(request.user, "use_inbox")
    preference, _created = NotificationPreference.objects.get_or_create(
        user=request.user
    )
    # An unticked box sends nothing: an empty POST is still a submission.
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings were saved."))
        return redirect("dashboard:inbox")
    return render(request, "notifications/preferences.html", {"form": form})
