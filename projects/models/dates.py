"""Dates follow the paper trail: the one set of date rules (issue 13).

submission ≤ decision ≤ contract ≤ acceptance ≤ settlement; the implementation
period ends after it starts; invoices, advances and payments come after the
contract (a payment also after the approval decision), invoices before the
acceptance and payments not after the settlement; nothing recorded as done is
dated after today, plan and programme decisions included.

`date_problems(project)` lists every rule a project (as it is in memory, with
its stored invoices and payments) breaks. The lifecycle frame
(`services.frame._transition`) calls it before and after each step and refuses the
problems a step adds, so every transition and correction is checked here and
nowhere else; equipment and disbursement rows call `invoice_problems` and
`payment_problems` for the row they write; forms call `period_problems` and
`decision_day_problems` to show the same messages next to their fields.

Each problem has a stable `key` (so that a change is refused only for what it
adds, not for an old record's other flaws) and names the `fields` it is about,
earlier first, so that a form can put the message next to the one it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .choices import DisbursementState
from .refusals import Refused

if TYPE_CHECKING:
    from .projects import Project


@dataclass(frozen=True)
class DateProblem:
    key: str
    message: str
    # The fields the rule relates (earlier first); a form shows the message
    # next to the last of them it has.
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


# (earlier field, later field) of a project: the later may equal the earlier,
# never precede it.
PROJECT_DATE_ORDER: tuple[tuple[str, str], ...] = (
    ("start_date", "end_date"),
    ("submitted_on", "decision_date"),
    ("decision_date", "contract_date"),
    ("contract_date", "acceptance_date"),
    ("acceptance_date", "settled_on"),
)

# Records of what has happened: none is dated after today.
NOT_AFTER_TODAY: tuple[str, ...] = (
    "submitted_on",
    "decision_date",
    "contract_date",
    "acceptance_date",
    "settled_on",
)


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _label(field: str) -> str:
    return capfirst(
        str(apps.get_model("projects", "Project")._meta.get_field(field).verbose_name)
    )


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _order(earlier: str, later: str, first: dt.date, then: dt.date) -> DateProblem:
    if earlier == "start_date" and later == "end_date":
        message = _(
            "The implementation period cannot end (%(end)s) before it starts "
            "(%(start)s)."
        ) % {"end": _day(then), "start": _day(first)}
    else:
        message = _(
            "%(later)s (%(then)s) cannot be before %(earlier)s (%(first)s)."
        ) % {
            "later": _label(later),
            "then": _day(then),
            "earlier": _label(earlier).lower(),
            "first": _day(first),
        }
    return DateProblem(f"{later}<{earlier}", message, (earlier, later))


def _future(field: str, value: dt.date, today: dt.date, label: str = "") -> DateProblem:
    return DateProblem(
        f"{field}>today",
        _("%(field)s (%(date)s) cannot be after today (%(today)s).")
        % {"field": label or _label(field), "date": _day(value), "today": _day(today)},
        (field,),
    )


def period_problems(start: dt.date | None, end: dt.date | None) -> list[DateProblem]:
    """The implementation period: the end is not before the start."""
    if start and end and end < start:
        return [_order("start_date", "end_date", start, end)]
    return []


def decision_day_problems(
    decision_date: dt.date | None, *, today: dt.date | None = None, label: str = ""
) -> list[DateProblem]:
    """A decision (a plan's, a programme's) is not dated after today."""
    today = _today(today)
    if decision_date and decision_date > today:
        return [_future("decision_date", decision_date, today, label)]
    return []


# --- rules on the dates of a project's other rows --------------------------------


def invoice_problems(
    project: Project, day: dt.date, *, today: dt.date | None = None
) -> list[DateProblem]:
    """An equipment invoice dated `day`: after the contract, not after the
    acceptance, not after today."""
    today = _today(today)
    problems = []
    if project.contract_date and day < project.contract_date:
        problems.append(
            DateProblem(
                "invoice<contract_date",
                _("The invoice date %(date)s is before the contract date %(contract)s.")
                % {"date": _day(day), "contract": _day(project.contract_date)},
                ("contract_date", "invoice_date"),
            )
        )
    if project.acceptance_date and day > project.acceptance_date:
        problems.append(
            DateProblem(
                "acceptance_date<invoice",
                _(
                    "The acceptance (%(acceptance)s) cannot be before the invoice "
                    "of %(date)s."
                )
                % {"acceptance": _day(project.acceptance_date), "date": _day(day)},
                ("invoice_date", "acceptance_date"),
            )
        )
    if day > today:
        problems.append(_future("invoice_date", day, today, _("The invoice date")))
    return problems


def payment_problems(
    project: Project, day: dt.date, *, today: dt.date | None = None
) -> list[DateProblem]:
    """Money recorded as paid (or refunded) on `day`: after the approval
    decision and the contract, not after the settlement, not after today."""
    today = _today(today)
    problems = []
    for field in ("decision_date", "contract_date"):
        earlier = getattr(project, field)
        if earlier and day < earlier:
            problems.append(
                DateProblem(
                    f"payment<{field}",
                    _(
                        "The payment date %(date)s is before the %(earlier)s "
                        "(%(first)s)."
                    )
                    % {
                        "date": _day(day),
                        "earlier": _label(field).lower(),
                        "first": _day(earlier),
                    },
                    (field, "date"),
                )
            )
    if project.settled_on and day > project.settled_on:
        problems.append(
            DateProblem(
                "settled_on<payment",
                _("The payment date %(date)s is after the settlement date %(settled)s.")
                % {"date": _day(day), "settled": _day(project.settled_on)},
                ("date", "settled_on"),
            )
        )
    if day > today:
        problems.append(_future("date", day, today, _("The payment date")))
    return problems


def _span(rows, field: str) -> Iterable[dt.date]:
    span = rows.aggregate(first=Min(field), last=Max(field))
    return [d for d in dict.fromkeys((span["first"], span["last"])) if d]


def _rows_problems(project: Project, today: dt.date) -> list[DateProblem]:
    """The row rules applied to the project's stored invoices and payments:
    their earliest and latest dates are the ones that can break them."""
    if not project.pk or not project.has_execution:
        # Invoices and payments exist only from approval on.
        return []
    problems: list[DateProblem] = []
    for day in _span(project.equipment.all(), "invoice_date"):
        problems += invoice_problems(project, day, today=today)
    paid = project.disbursements.filter(state=DisbursementState.RECORDED)
    for day in _span(paid, "date"):
        problems += payment_problems(project, day, today=today)
    return list({p.key: p for p in problems}.values())


def date_problems(
    project: Project, *, today: dt.date | None = None
) -> list[DateProblem]:
    """Every date rule `project` breaks, as it is in memory."""
    today = _today(today)
    problems = []
    for earlier, later in PROJECT_DATE_ORDER:
        first, then = getattr(project, earlier), getattr(project, later)
        if first and then and then < first:
            problems.append(_order(earlier, later, first, then))
    for field in NOT_AFTER_TODAY:
        value = getattr(project, field)
        if value and value > today:
            problems.append(_future(field, value, today))
    return problems + _rows_problems(project, today)


def added_problems(
    project: Project, before: Iterable[DateProblem], *, today: dt.date | None = None
) -> list[DateProblem]:
    """The problems `project` has now that it did not have `before`."""
    known = {problem.key for problem in before}
    return [p for p in date_problems(project, today=today) if p.key not in known]


def refusal_fields(problems: Iterable[DateProblem]) -> dict[str, tuple[str, ...]]:
    """message -> fields, for Refused."""
    return {p.message: p.fields for p in problems}


def refuse(problems: list[DateProblem]) -> None:
    """Raise Refused naming every problem."""
    if problems:
        raise Refused(*[p.message for p in problems], fields=refusal_fields(problems))
