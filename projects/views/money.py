"""Pages for disbursements and the budget (issue 5): thin views over the
model layer, sharing the execution pages' permission helpers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.policy import require

from ..forms.money import DisbursementForm, RefundConfirmForm
from ..models import (
    AlreadyRecorded,
    Disbursement,
    DisbursementState,
    Plan,
    Refused,
    measures,
)
from .execution import _form_page, _page, _project

# --- disbursements -----------------------------------------------------------------


@login_required
def disbursement_form(
    request: HttpRequest, pk: int, disbursement_pk: int | None = None
) -> HttpResponse:
    project = _project(request, pk, write=True)
    instance = (
        # A refund that fell due is settled through refund_confirm, not edited.
        get_object_or_404(
            project.disbursements,
            pk=disbursement_pk,
            state=DisbursementState.RECORDED,
        )
        if disbursement_pk
        else Disbursement(recorded_by=request.user)
    )
    form = DisbursementForm(request.POST or None, instance=instance, project=project)

    def save(form: DisbursementForm) -> None:
        form.instance._history_user = request.user
        form.save()

    try:
        return _form_page(
            request,
            project,
            form,
            save,
            title=(
                _("Edit disbursement") if disbursement_pk else _("Record disbursement")
            ),
            done=_("The disbursement was saved."),
        )
    except AlreadyRecorded as recorded:
        # The same form again (double-click, reload, retry): show the row the
        # first sending recorded; nothing is paid twice.
        row = recorded.record
        messages.info(
            request,
            _(
                "This form was sent twice; the disbursement was recorded once: "
                "%(amount)s on %(date)s, voucher %(voucher)s."
            )
            % {
                "amount": f"{number_format(row.amount, force_grouping=True)} đ",
                "date": date_format(row.date, "SHORT_DATE_FORMAT"),
                "voucher": row.voucher_no,
            },
        )
        url = reverse("money:project", args=[project.pk])
        return redirect(f"{url}#disbursement-{row.pk}")


@login_required
@require_POST
def disbursement_delete(
    request: HttpRequest, pk: int, disbursement_pk: int
) -> HttpResponse:
    project = _project(request, pk, write=True)
    row = get_object_or_404(project.disbursements.live(), pk=disbursement_pk)
    try:
        row._history_user = request.user
        row.delete()
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The disbursement was deleted."))
    return _page(project)


@login_required
def refund_confirm(request: HttpRequest, pk: int, disbursement_pk: int) -> HttpResponse:
    project = _project(request, pk, write=True)
    row = get_object_or_404(
        project.disbursements, pk=disbursement_pk, state=DisbursementState.DUE
    )
    form = RefundConfirmForm(request.POST or None)

    def save(form: RefundConfirmForm) -> None:
        row.confirm_refund(by=request.user, **form.cleaned_data)

    return _form_page(
        request,
        project,
        form,
        save,
        title=_("Record the refund"),
        done=_("The refund was recorded."),
    )


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    """Per plan and source: the read-model's plan figures (allocated,
    approved, released, disbursed, remaining, still to pay, both rates) and
    net disbursed by month, aggregated in the database."""
    require(request.user, "read")
    years = sorted(set(Plan.objects.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year if timezone.localdate().year in years else None
        year = year or (years[0] if years else None)
    plans = (
        Plan.objects.filter(Q(year=year) if year else Q())
        .with_money()
        .select_related("programme")
        .order_by("-year", "programme__source")
    )
    by_month = measures.disbursed_by_month(Plan.objects.filter(year=year))
    months = [dt.date(year, m, 1) for m in range(1, 13)] if year else []
    rows = []
    totals = measures.Money()
    for plan in plans:
        money = measures.Money.of_plan(plan)
        rows.append(
            {
                "plan": plan,
                "money": money,
                "months": [by_month.get((plan.pk, m), 0) for m in months],
            }
        )
        totals.add(money)
    return render(
        request,
        "projects/money/budget.html",
        {
            "rows": rows,
            "totals": totals,
            "years": years,
            "year": year,
            "months": months,
        },
    )
