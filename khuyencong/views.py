"""Wiring-level views: the role home page and the health check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from dashboard.board import Scope, budget
from dashboard.warnings import overdue_inspections, overdue_projects
from enterprises.models import Establishment
from enterprises.policy import can, require
from enterprises.roles import Role, primary_role
from projects.models import RUNNING_STATUSES, Project
from reports.models import WorkerHeartbeat

from .audit import audit_entries
from .forms import AuditFilterForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What waits for this user, in counts that link to the work itself."""
    user = request.user
    role = primary_role(user)
    if role == Role.APPLICANT:
        # An establishment's account has its own home: its requests.
        return redirect("applicants:home")
    today = timezone.localdate()
    context: dict[str, Any] = {
        "role": role,
        "role_label": Role(role).label if role else None,
        "establishment_count": Establishment.objects.active().count(),
        "year": today.year,
    }
    if can(user, "take_steps"):
        context["todo_count"] = Project.objects.todo_for(user, today).count()
    # The figures of the warnings page and of the dashboard's budget.
    if can(user, "view_warnings"):
        context["running_count"] = Project.objects.filter(
            status__in=RUNNING_STATUSES
        ).count()
        context["overdue_inspections"] = overdue_inspections(today).count()
        context["overdue_projects"] = overdue_projects(today).count()
        context["overdue_settlements"] = Project.objects.settlement_overdue(
            today
        ).count()
    if can(user, "view_dashboard"):
        context["budget"] = budget(Scope(year=today.year))[-1]
    return render(request, "home.html", context)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "unreachable"


def favicon(request: HttpRequest) -> HttpResponse:
    """The portal's icon where a browser looks for it by default: Chromium
    asks for /favicon.ico after an error page, and old tools always do."""
    return redirect(static("img/favicon.svg"), permanent=True)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer and the operator; no login needed."""
    db_ok = _database_ok()
    broker = _broker_state()
    beat = WorkerHeartbeat.objects.order_by("-seen_at").first() if db_ok else None
    ok = db_ok and broker != "unreachable"
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": "ok" if db_ok else "unreachable",
            "broker": broker,
            "worker_last_seen": beat.seen_at.isoformat() if beat else None,
            "time": timezone.localtime().isoformat(),
        },
        status=200 if ok else 503,
    )


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """Administrators: who changed what, when, with before/after values."""
    require(request.user, "view_audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        model=filters.get("model") or "",
        user_id=filters["user"].pk if filters.get("user") else None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return render(request, "audit.html", {"form": form, "entries": entries})
