"""Equipment actually bought for a project's beneficiaries, with its serial
numbers, checked against double support across projects (issue 5)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import (
    MinValueValidator,
)
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Establishment
from enterprises.money import MoneyField

from .choices import Status, _money
from .dates import invoice_problems, refuse
from .execution import lock_project, refuse_if_frozen
from .projects import Project
from .refusals import Refused


def _lock_keys(keys: Iterable[str]) -> None:
    """Serialise double-support checks of the same invoice or serial across
    projects (the project lock only covers one project).

    PostgreSQL transaction-level advisory locks, taken in sorted order so two
    writers never deadlock; released at commit. SQLite serialises writers.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", ["kc-equipment:" + key]
            )


# --- normalisation ---------------------------------------------------------------

_SERIAL_JUNK = re.compile(r"[\s\-–—]+")


def normalise_serial(raw: str) -> str:
    """'ab-12 34 ' -> 'AB1234': how a serial is compared and stored."""
    return _SERIAL_JUNK.sub("", raw or "").upper()


def normalise_tax_code(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper()


def invoice_key(tax_code: str, invoice_no: str) -> str:
    """Supplier tax code + invoice number, as compared for double support.

    Leading zeros are dropped because e-invoice numbers are printed padded
    ('00000123') and typed without them.
    """
    number = normalise_serial(invoice_no).lstrip("0")
    tax = normalise_tax_code(tax_code)
    return f"{tax}/{number}" if tax and number else ""


def one_edit_apart(a: str, b: str) -> bool:
    """True when b is a differs by exactly one replaced, added or dropped letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- equipment -------------------------------------------------------------------


def _amount(verbose: Any, **kwargs: Any) -> MoneyField:
    return MoneyField(verbose, **kwargs)


class EquipmentInvestmentQuerySet(models.QuerySet):
    def for_establishment(self, establishment: Establishment):
        """The establishment's supported equipment across years and programmes."""
        return (
            self.filter(establishment=establishment)
            .exclude(project__status=Status.CANCELLED)
            .select_related("project")
            .prefetch_related("serials")
            .order_by("-project__created_at", "pk")
        )

    def live(self):
        """Rows that count as support given: their project was not cancelled."""
        return self.exclude(project__status=Status.CANCELLED)


class EquipmentInvestment(models.Model):
    """A machine (or lot) bought and installed for one beneficiary of a project."""

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="equipment",
        verbose_name=_("project"),
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="equipment",
        verbose_name=_("beneficiary"),
    )
    item = models.CharField(_("item"), max_length=255)
    specification = models.TextField(_("specification"), blank=True)
    maker_origin = models.CharField(_("maker / origin"), max_length=255, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=255)
    supplier_tax_code = models.CharField(_("supplier tax code"), max_length=20)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    unit_price = _amount(_("unit price (đồng)"))
    total = _amount(_("total (đồng)"))
    supported = _amount(_("supported amount (đồng)"))
    invoice_no = models.CharField(_("invoice number"), max_length=50)
    invoice_date = models.DateField(_("invoice date"))
    # Normalised tax code + invoice number, indexed for the double-support check.
    invoice_key = models.CharField(max_length=80, editable=False)
    contract_no = models.CharField(_("contract number"), max_length=50, blank=True)
    installation_date = models.DateField(_("installation date"), null=True, blank=True)
    needs_review = models.BooleanField(_("flagged for the reviewer"), default=False)
    review_notes = models.TextField(_("why it was flagged"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()
    objects = EquipmentInvestmentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("equipment investment")
        verbose_name_plural = _("equipment investments")
        indexes = [
            models.Index(fields=["invoice_key"], name="equipment_invoice_key_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1)
                & Q(unit_price__gte=0)
                & Q(total__gte=0)
                & Q(supported__gte=0),
                name="equipment_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total=F("quantity") * F("unit_price")),
                name="equipment_total_is_quantity_times_price",
            ),
            models.CheckConstraint(
                condition=Q(supported__lte=F("total")),
                name="equipment_supported_within_total",
            ),
        ]

    def __str__(self) -> str:
        # Shown in the photo form's choice and the change log, always within
        # its project: the project's id would read as part of the name.
        return self.item

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            if self.pk:
                # Moving a row to another project would unfreeze a settled one.
                old = EquipmentInvestment.objects.get(pk=self.pk).project_id
                if old != self.project_id:
                    refuse_if_frozen(lock_project(old))
            self.invoice_key = invoice_key(self.supplier_tax_code, self.invoice_no)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            return super().delete(*args, **kwargs)

    @property
    def serial_list(self) -> list[str]:
        return [s.serial for s in self.serials.all()]

    def store(self, *, serials: Iterable[str], by: Any) -> EquipmentInvestment:
        """Save this row with its serial numbers after the double-support check.

        Exact matches (same serial, or same supplier invoice, in another project
        that was not cancelled) are refused with the earlier project; near
        matches are stored as a flag the reviewer sees.
        """
        # Kept as first typed, compared normalised (two spellings of one
        # serial in the same list are one machine).
        typed: dict[str, str] = {}
        for serial in serials:
            typed.setdefault(normalise_serial(serial), serial.strip())
        typed.pop("", None)
        normalised = list(typed)
        with transaction.atomic():
            project = lock_project(self.project_id)
            refuse_if_frozen(project)
            if not project.beneficiaries.filter(pk=self.establishment_id).exists():
                raise Refused(
                    gettext("The establishment is not a beneficiary of this project.")
                )
            self.total = self.quantity * self.unit_price
            if self.supported > self.total:
                raise Refused(
                    gettext(
                        "The supported amount (%(supported)s) exceeds the total "
                        "(%(total)s)."
                    )
                    % {
                        "supported": _money(self.supported),
                        "total": _money(self.total),
                    }
                )
            refuse(invoice_problems(project, self.invoice_date))
            refuse_equipment_above_support(project, row=self)
            key = invoice_key(self.supplier_tax_code, self.invoice_no)
            _lock_keys([key, *normalised] if key else normalised)
            self._refuse_double_support(key, normalised)
            notes = self._near_matches(key, typed)
            self.needs_review = bool(notes)
            self.review_notes = "\n".join(notes)
            self.recorded_by_id = self.recorded_by_id or by.pk
            self._history_user = by
            self.save()
            _enforce_rules(project, by)
            self.serials.exclude(normalised__in=normalised).delete()
            known = {row.normalised: row for row in self.serials.all()}
            for key, serial in typed.items():
                row = known.get(key) or EquipmentSerial(equipment=self)
                if row.serial != serial:
                    row.serial = serial
                    row._history_user = by
                    row.save()
        return self

    def _others(self):
        return EquipmentInvestment.objects.live().exclude(project_id=self.project_id)

    def _refuse_double_support(self, key: str, serials: list[str]) -> None:
        problems, earlier = [], []
        taken = (
            EquipmentSerial.objects.filter(normalised__in=serials, active=True)
            .exclude(equipment__project_id=self.project_id)
            .select_related("equipment__project")
        )
        for row in taken:
            project = row.equipment.project
            earlier.append(project)
            problems.append(
                gettext(
                    "Serial number %(serial)s was already supported in project "
                    "%(code)s; the same machine cannot be supported twice."
                )
                % {"serial": row.serial, "code": project.code}
            )
        same_project = EquipmentSerial.objects.filter(
            normalised__in=serials, equipment__project_id=self.project_id
        ).exclude(equipment_id=self.pk)
        for row in same_project:
            problems.append(
                gettext("Serial number %(serial)s is already listed in this project.")
                % {"serial": row.serial}
            )
        if key:
            for other in (
                self._others().filter(invoice_key=key).select_related("project")
            ):
                earlier.append(other.project)
                problems.append(
                    gettext(
                        "Invoice %(invoice)s of supplier %(tax)s was already "
                        "supported in project %(code)s."
                    )
                    % {
                        "invoice": other.invoice_no,
                        "tax": other.supplier_tax_code,
                        "code": other.project.code,
                    }
                )
        if problems:
            raise Refused(*problems, projects=dict.fromkeys(earlier))

    def _near_matches(self, key: str, serials: dict[str, str]) -> list[str]:
        """`serials`: typed serial by its normalised form."""
        notes = []
        lengths = {n for s in serials for n in (len(s) - 1, len(s), len(s) + 1)}
        candidates = (
            EquipmentSerial.objects.filter(active=True)
            .exclude(equipment__project_id=self.project_id)
            .annotate(n=Length("normalised"))
            .filter(n__in=lengths)
            .values_list("normalised", "serial", "equipment__project__code")
        )
        for other_key, other, code in candidates:
            for mine, serial in serials.items():
                if one_edit_apart(mine, other_key):
                    notes.append(
                        gettext(
                            "Serial number %(serial)s is one character away from "
                            "%(other)s supported in project %(code)s."
                        )
                        % {"serial": serial, "other": other, "code": code}
                    )
        tax = normalise_tax_code(self.supplier_tax_code)
        same_goods = (
            self._others()
            .filter(
                supplier_tax_code__iexact=tax,
                item__iexact=self.item.strip(),
                total=self.total,
            )
            .select_related("project")
        )
        for other in same_goods:
            notes.append(
                gettext(
                    "The same supplier sold the same item for the same amount in "
                    "project %(code)s (invoice %(invoice)s)."
                )
                % {"code": other.project.code, "invoice": other.invoice_no}
            )
        return notes


def refuse_equipment_above_support(
    project: Project, *, row: EquipmentInvestment | None = None
) -> None:
    """The equipment support of a project (with `row` as it will be saved)
    stays within the support approved for it, or settled once it is settled
    (all sources together: an equipment row names no source)."""
    rows = EquipmentInvestment.objects.filter(project=project)
    if row is not None and row.pk:
        rows = rows.exclude(pk=row.pk)
    recorded = rows.aggregate(s=models.Sum("supported"))["s"] or 0
    total = recorded + (row.supported if row is not None else 0)
    fundings = list(project.fundings.all())
    if project.status == Status.SETTLED or any(f.settled is not None for f in fundings):
        limit = sum(f.settled or 0 for f in fundings)
        message = gettext(
            "Equipment support on project %(code)s would reach %(total)s, above "
            "the settled support of %(limit)s."
        )
    else:
        limit = sum(f.approved or 0 for f in fundings)
        message = gettext(
            "Equipment support on project %(code)s would reach %(total)s, above "
            "the approved support of %(limit)s (already recorded: %(recorded)s)."
        )
    if total > limit:
        text = message % {
            "code": project.code,
            "total": _money(total),
            "limit": _money(limit),
            "recorded": _money(recorded),
        }
        raise Refused(text, fields={text: ("supported",)})


def _enforce_rules(project: Project, by: Any) -> None:
    """Equipment support per establishment, within the rules of the decision
    (projects.rule_check, imported here: it reads these models)."""
    from ..rule_check import project_rules_enforce

    per_establishment = dict(
        EquipmentInvestment.objects.filter(project=project)
        .values_list("establishment_id")
        .annotate(s=models.Sum("supported"))
    )
    project_rules_enforce(project, step="equipment", by=by, equipment=per_establishment)


class EquipmentSerial(models.Model):
    """One serial number of a supported machine, kept as typed
    ("CNC4H-2026-0012"); `normalised` ("CNC4H20260012") is what the duplicate
    checks compare, so "cnc4h 2026 0012" is the same machine.

    `active` is cleared when the project is cancelled, so that the unique
    constraint holds "one live support per machine" in the database itself.
    """

    equipment = models.ForeignKey(
        EquipmentInvestment,
        on_delete=models.CASCADE,
        related_name="serials",
        verbose_name=_("equipment"),
    )
    serial = models.CharField(_("serial number"), max_length=100)
    normalised = models.CharField(
        _("serial number (compared)"), max_length=100, editable=False
    )
    active = models.BooleanField(default=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["serial"]
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["normalised"],
                condition=Q(active=True),
                name="equipment_serial_supported_once",
            ),
            models.CheckConstraint(
                condition=~Q(normalised=""), name="equipment_serial_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.serial = self.serial.strip()
        self.normalised = normalise_serial(self.serial)
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.equipment.project_id))
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.equipment.project_id))
            return super().delete(*args, **kwargs)
