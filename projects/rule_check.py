"""The one check of a project against the support and eligibility rules.

Every workflow that changes what a project asks for or who receives it calls
``project_rules_enforce`` (submission, appraisal, approval, adjustment,
equipment support). Which rule applies depends on the step (RULE_DATE): the
rule in force on the submission date at submission and appraisal, on the
decision date at approval and adjustment. What was applied is recorded
(RuleApplication), so that the project shows which rule version held it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from enterprises.models import EligibilityRule, Establishment

from .models import (
    PER_BENEFICIARY_UNITS,
    EquipmentInvestment,
    Project,
    ProjectFunding,
    Refused,
    RuleApplication,
    RuleSource,
    Source,
    Status,
    SupportRule,
)
from .models.choices import _money

# The steps a project is checked at, and the date whose rules apply.
SUBMISSION_DATED = ("submit", "resubmit", "appraise")
DECISION_DATED = ("approve", "record_decision", "decide_adjustment", "equipment")

# Projects whose support no longer counts towards an establishment's cap.
NOT_COUNTED = (Status.DRAFT, Status.REJECTED, Status.CANCELLED)


def rule_date(project: Project, step: str, day: dt.date | None = None) -> dt.date:
    """The date whose rules apply at `step` (see RULE_DATE in docs/rules.md)."""
    if day is not None:
        return day
    if step in SUBMISSION_DATED and project.submitted_on:
        return project.submitted_on
    if step in DECISION_DATED and project.decision_date:
        return project.decision_date
    return project.submitted_on or timezone.localdate()


@dataclass
class RuleVerdict:
    """What the rules say about a project on a day."""

    day: dt.date
    step: str
    rules: dict[str, SupportRule | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    eligibility_rule: EligibilityRule | None = None

    def __bool__(self) -> bool:
        return not self.problems


def _basis(rule: SupportRule) -> str:
    basis = rule.legal_basis or _("no legal basis entered yet")
    if not rule.verified:
        basis = _("%(basis)s, not verified") % {"basis": basis}
    return basis


def find_rule(
    *,
    content_id: int,
    variant: str,
    source: str,
    day: dt.date,
    kinds: set[str],
) -> SupportRule | None:
    """The rule of a content and variant for one funding source on `day`.

    The row that came into force last wins (a new circular supersedes); among
    rows of the same date, one for that source over one for both sources, and
    one for the beneficiaries' kind over one for any kind.
    """
    candidates = SupportRule.objects.valid_on(day).filter(
        content_id=content_id,
        variant=variant,
        source__in=[source, RuleSource.BOTH],
    )
    best = None
    best_key = None
    for rule in candidates:
        if rule.establishment_kind and (
            not kinds or kinds != {rule.establishment_kind}
        ):
            continue
        key = (
            rule.valid_from,
            rule.source == source,
            bool(rule.establishment_kind),
            rule.pk,
        )
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return best


def _others_by_establishment(
    project: Project, establishments: list[Establishment], year: int
) -> dict[int, list[tuple[Project, int]]]:
    """Support each establishment receives from the other projects of the same
    content that start in `year`, as (project, share) per establishment."""
    others = (
        Project.objects.filter(
            content_id=project.content_id,
            beneficiaries__in=establishments,
            fundings__plan__year=year,
        )
        .exclude(pk=project.pk)
        .exclude(status__in=NOT_COUNTED)
        .distinct()
        .prefetch_related(
            Prefetch(
                "fundings",
                queryset=ProjectFunding.objects.only(
                    "project_id", "requested", "approved"
                ),
            ),
            Prefetch("beneficiaries", queryset=Establishment.objects.only("pk")),
        )
    )
    shares: dict[int, list[tuple[Project, int]]] = defaultdict(list)
    wanted = {e.pk for e in establishments}
    for other in others:
        support = sum(
            f.approved if f.approved is not None else f.requested
            for f in other.fundings.all()
        )
        people = [e.pk for e in other.beneficiaries.all()]
        if not people:
            continue
        share = support // len(people)
        for pk in people:
            if pk in wanted:
                shares[pk].append((other, share))
    return shares


def project_rule_check(
    project: Project,
    *,
    step: str,
    day: dt.date | None = None,
    amounts: Mapping[str, int] | None = None,
    beneficiaries: Iterable[Establishment] | None = None,
    equipment: Mapping[int, int] | None = None,
) -> RuleVerdict:
    """Check `project` against the rules in force on the date of `step`.

    `amounts` is the support per source being asked for or granted (the
    funding rows' requested, or approved once decided, by default);
    `beneficiaries` the establishments after the change; `equipment` the
    equipment support per establishment pk after the change.
    """
    day = rule_date(project, step, day)
    verdict = RuleVerdict(day=day, step=step)
    # An unsaved project (an applicant's request checked before it becomes
    # one) has no funding rows yet: `amounts` says what is asked for.
    fundings = list(project.fundings.select_related("plan")) if project.pk else []
    if amounts is None:
        decided = step in DECISION_DATED and any(
            f.approved is not None for f in fundings
        )
        amounts = {
            f.source: (f.approved or 0) if decided else f.requested for f in fundings
        }
    if beneficiaries is None:
        beneficiaries = project.beneficiaries.select_related(
            "commune__province", "craft_village"
        )
    establishments = list(beneficiaries)
    support = sum(amounts.values())

    # Eligibility of every beneficiary on that day (equipment changes money
    # only: who is eligible was judged when the beneficiaries were set).
    verdict.eligibility_rule = EligibilityRule.in_force(day)
    cleaner = project.content.code == 5 if project.content_id else False
    for establishment in establishments if step != "equipment" else []:
        eligibility = establishment.eligibility(
            day, rule=verdict.eligibility_rule, cleaner_production=cleaner
        )
        if not eligibility:
            verdict.problems.append(
                _("%(name)s is not eligible: %(reason)s")
                % {"name": establishment.name, "reason": eligibility.reason}
            )

    if not project.content_id or support <= 0:
        return verdict
    kinds = {e.kind for e in establishments}
    year = min((f.plan.year for f in fundings), default=day.year)
    others = None
    for source in sorted(s for s, amount in amounts.items() if amount > 0):
        rule = find_rule(
            content_id=project.content_id,
            variant=project.support_variant,
            source=source,
            day=day,
            kinds=kinds,
        )
        verdict.rules[source] = rule
        if rule is None:
            verdict.problems.append(
                _(
                    "No applicable rule (không có quy định áp dụng) for %(content)s"
                    "%(variant)s, %(source)s, on %(day)s. An administrator adds one "
                    "under Administration › Support rules, with its legal basis and "
                    "dates."
                )
                % {
                    "content": project.content.name,
                    "variant": f" — {project.support_variant}"
                    if project.support_variant
                    else "",
                    "source": Source(source).label,
                    "day": date_format(day, "SHORT_DATE_FORMAT"),
                }
            )
            continue
        if not rule.verified:
            verdict.notes.append(
                _("The rule applied (%(rule)s) is not verified against its text.")
                % {"rule": _basis(rule)}
            )
        verdict.problems += _share_problems(rule, support, project.total_cost)
        if rule.absolute_cap is None:
            continue
        if rule.unit not in PER_BENEFICIARY_UNITS:
            if support > rule.absolute_cap:
                verdict.problems.append(_cap_problem(rule, support, rule.absolute_cap))
            continue
        if not establishments:
            verdict.notes.append(
                _(
                    "The cap per establishment is checked again when the "
                    "beneficiaries are named."
                )
            )
            continue
        if others is None:
            others = _others_by_establishment(project, establishments, year)
        mine = support // len(establishments)
        for establishment in establishments:
            own = max(mine, (equipment or {}).get(establishment.pk, 0))
            earlier = others.get(establishment.pk, [])
            total = own + sum(share for _p, share in earlier)
            if total > rule.absolute_cap:
                verdict.problems.append(
                    _per_establishment_problem(
                        rule, establishment, own, earlier, total, year
                    )
                )
    return verdict


def _share_problems(rule: SupportRule, support: int, total_cost: int) -> list[str]:
    # Integers and Decimal: 50 % of an odd total must not round up.
    if rule.share_cap is None or support * 100 <= total_cost * rule.share_cap:
        return []
    return [
        _(
            "Support of %(support)s exceeds %(share)s%% of the total cost "
            "(%(total)s) allowed by %(basis)s."
        )
        % {
            "support": _money(support),
            "share": number_format(rule.share_cap.normalize()),
            "total": _money(total_cost),
            "basis": _basis(rule),
        }
    ]


def _cap_problem(rule: SupportRule, support: int, cap: int) -> str:
    return _(
        "Support of %(support)s exceeds the cap of %(cap)s per %(unit)s allowed "
        "by %(basis)s."
    ) % {
        "support": _money(support),
        "cap": _money(cap),
        "unit": rule.get_unit_display(),
        "basis": _basis(rule),
    }


def _per_establishment_problem(
    rule: SupportRule,
    establishment: Establishment,
    own: int,
    earlier: list[tuple[Project, int]],
    total: int,
    year: int,
) -> str:
    if not earlier:
        return _(
            "%(name)s would receive %(support)s, above the cap of %(cap)s per "
            "establishment allowed by %(basis)s."
        ) % {
            "name": establishment.name,
            "support": _money(own),
            "cap": _money(rule.absolute_cap),
            "basis": _basis(rule),
        }
    return _(
        "%(name)s would receive %(total)s for this content in %(year)s "
        "(%(own)s here, %(others)s in %(codes)s), above the cap of %(cap)s per "
        "establishment allowed by %(basis)s."
    ) % {
        "name": establishment.name,
        "total": _money(total),
        "year": year,
        "own": _money(own),
        "others": _money(total - own),
        "codes": ", ".join(p.code for p, _s in earlier),
        "cap": _money(rule.absolute_cap),
        "basis": _basis(rule),
    }


def project_rules_enforce(
    project: Project,
    *,
    step: str,
    by=None,
    day: dt.date | None = None,
    amounts: Mapping[str, int] | None = None,
    beneficiaries: Iterable[Establishment] | None = None,
    equipment: Mapping[int, int] | None = None,
) -> RuleVerdict:
    """Refuse (Refused) what breaks the rules; else record the rules
    applied. Call inside the transaction that makes the change."""
    verdict = project_rule_check(
        project,
        step=step,
        day=day,
        amounts=amounts,
        beneficiaries=beneficiaries,
        equipment=equipment,
    )
    if verdict.problems:
        raise Refused(*verdict.problems)
    if step != "equipment":
        # Equipment is held to the rules recorded at the decision.
        record_applied_rules(project, verdict, by=by)
    return verdict


def record_applied_rules(project: Project, verdict: RuleVerdict, *, by=None) -> None:
    """Keep which rule versions the project was held to at this step."""
    eligibility = verdict.eligibility_rule
    common = {
        "project": project,
        "step": verdict.step,
        "day": verdict.day,
        "eligibility_basis": eligibility.citation if eligibility else "",
        "recorded_by": by if getattr(by, "pk", None) else None,
    }
    rows = [
        RuleApplication(
            source=source,
            rule=rule,
            legal_basis=rule.legal_basis if rule else "",
            verified=rule.verified if rule else False,
            **common,
        )
        for source, rule in verdict.rules.items()
    ]
    RuleApplication.objects.bulk_create(rows or [RuleApplication(**common)])


# --- repeat support ------------------------------------------------------------------


@dataclass
class EarlierSupport:
    establishment: Establishment
    project: Project
    year: int
    support: int
    equipment: list[str]


SUPPORTED = (
    Status.APPROVED,
    Status.IN_PROGRESS,
    Status.ACCEPTED,
    Status.SETTLED,
)


def earlier_support(
    project: Project, beneficiaries: Iterable[Establishment] | None = None
) -> list[EarlierSupport]:
    """The beneficiaries' earlier supported projects of the same content within
    the content's look-back (years), newest first: a warning, not a refusal."""
    if not project.content_id:
        return []
    lookback = project.content.repeat_lookback_years
    years = [f.plan.year for f in project.fundings.all()]
    year = min(years) if years else timezone.localdate().year
    if beneficiaries is None:
        beneficiaries = project.beneficiaries.all()
    beneficiaries = list(beneficiaries)
    if not beneficiaries or not lookback:
        return []
    earlier = (
        Project.objects.filter(
            content_id=project.content_id,
            beneficiaries__in=beneficiaries,
            status__in=SUPPORTED,
            fundings__plan__year__gte=year - lookback,
            fundings__plan__year__lte=year,
        )
        .exclude(pk=project.pk)
        .distinct()
        .prefetch_related(
            Prefetch(
                "fundings", queryset=ProjectFunding.objects.select_related("plan")
            ),
            Prefetch("beneficiaries", queryset=Establishment.objects.only("pk")),
            Prefetch(
                "equipment",
                queryset=EquipmentInvestment.objects.only(
                    "project_id", "establishment_id", "item", "quantity"
                ),
            ),
        )
    )
    wanted = {e.pk: e for e in beneficiaries}
    found = []
    for other in earlier:
        fundings = list(other.fundings.all())
        support = sum(f.approved or 0 for f in fundings)
        other_year = min(f.plan.year for f in fundings)
        for pk in (e.pk for e in other.beneficiaries.all()):
            if pk not in wanted:
                continue
            items = [
                f"{e.item} ({e.quantity})"
                for e in other.equipment.all()
                if e.establishment_id == pk
            ]
            found.append(EarlierSupport(wanted[pk], other, other_year, support, items))
    found.sort(key=lambda s: (-s.year, s.project.code))
    return found
