"""What every official document prints around its content, in every format.

Decree 30/2020/NĐ-CP (Appendix I) lays out an administrative document: the
issuing body (its parent above it) top left with the number and symbol under
it; the national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the motto
"Độc lập - Tự do - Hạnh phúc" top right with the place-and-date line under
them, in italic, days 1-9 and months 1-2 with a leading zero; then the title;
at the end "Nơi nhận" bottom left and the signer's title and name bottom
right. Tables may be set on a landscape page. `OfficialHead` carries those
elements once; the PDF, Excel and Word writers print the same ones.

Until a person issues the report (reports.services.report_issue) there is no
number: the document is a draft and every format says "DỰ THẢO".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT = "DỰ THẢO"
MILLION = Decimal(1_000_000)
THOUSANDTH = Decimal("0.001")
TENTH = Decimal("0.1")


def place_date_line(day: dt.date) -> str:
    """ "Thanh Hóa, ngày 05 tháng 02 năm 2026" (days below 10 and months below 3
    take a leading zero, as the rules on administrative documents ask)."""
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": settings.ORGANISATION_PLACE,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def percent_value(value: Any) -> Decimal | None:
    """A fraction rounded as every screen rounds a percentage
    (projects.models.measures.rate: ROUND_HALF_UP to one decimal of a
    percent), kept as a fraction: 0.7955 -> 0.796, printed 79,6 %."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal) and value.as_tuple().exponent >= -3:
        return value  # already a rounded percent (measures.fraction)
    percent = (Decimal(str(value)) * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
    return percent / 100


@dataclass(frozen=True)
class OfficialHead:
    organisation_parent: str
    organisation_name: str
    # "12/BC-TTKC" once issued; "" on a draft (printed "Số: .../BC-TTKC").
    number: str
    symbol: str
    issued_on: dt.date | None
    unit: str = "dong"  # reports.models.MoneyUnit
    recipients: list[str] = field(default_factory=list)
    preparer_title: str = "NGƯỜI LẬP BIỂU"
    preparer_name: str = ""
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""

    @property
    def draft(self) -> bool:
        return not self.number

    @property
    def number_line(self) -> str:
        if self.number:
            return f"Số: {self.number}"
        # A paper drafted for another body: its number is given when signed.
        return f"Số: ..../{self.symbol}" if self.symbol else "Số: ………"

    @property
    def place_date(self) -> str:
        if self.issued_on is None:
            # A draft is dated when it is issued; the line shows where.
            return _("%(place)s, day .... month .... year %(year)s") % {
                "place": settings.ORGANISATION_PLACE,
                "year": timezone.localdate().year,
            }
        return place_date_line(self.issued_on)

    @property
    def in_millions(self) -> bool:
        return self.unit == "million"

    @property
    def unit_line(self) -> str:
        return "Đơn vị tính: triệu đồng" if self.in_millions else "Đơn vị tính: đồng"

    def money(self, value: Any) -> Any:
        """A whole-đồng amount in the chosen unit (millions to the thousand
        đồng, ROUND_HALF_UP)."""
        if value is None or value == "" or not self.in_millions:
            return value
        return (Decimal(value) / MILLION).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)

    def header(self, text: str) -> str:
        """A column header naming the unit follows the chosen one."""
        if self.in_millions:
            return text.replace("(đồng)", "(triệu đồng)")
        return text

    @property
    def signatures(self) -> list[tuple[str, str, str]]:
        """(title, hint, name) left to right."""
        return [
            (self.preparer_title, "(Ký, ghi rõ họ tên)", self.preparer_name),
            (self.signer_title, "(Ký, ghi rõ họ tên và đóng dấu)", self.signer_name),
        ]


def million_decimals(value: Decimal) -> int:
    """How many decimals an amount in millions prints: none when it is whole
    ("180"), else those it needs, up to the thousand đồng ("57,5",
    "1.234,125"). The same in every format: the PDF and Word print it so, and
    Excel gives such a cell MILLIONS_FORMAT, whole ones the plain "#,##0"
    (reports.writers.xlsx). Three fixed decimals ("180,000") read as a
    hundred and eighty thousand to anyone used to the dot as the thousands
    separator, and hide the figures that do carry a fraction."""
    exponent = value.normalize().as_tuple().exponent
    return min(3, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


def official_head(
    *,
    series: str = "report",
    number: str = "",
    issued_on: dt.date | None = None,
    unit: str = "dong",
) -> OfficialHead:
    """The head of a document from the centre's settings (editable in the
    admin: reports.models.OfficialSettings) and, once issued, its number."""
    from reports.models import OfficialSettings

    official = OfficialSettings.current()
    return OfficialHead(
        organisation_parent=settings.ORGANISATION_PARENT,
        organisation_name=settings.ORGANISATION_NAME,
        number=number,
        symbol=official.symbol_of(series),
        issued_on=issued_on,
        unit=unit,
        recipients=official.recipient_lines,
        preparer_title=official.preparer_title,
        preparer_name=official.preparer_name,
        signer_title=official.signer_title,
        signer_name=official.signer_name,
    )


def head_for_job(job: Any, *, series: str = "report") -> OfficialHead:
    """A job's head: issued (number and date from the register) or a draft."""
    entry = job.issued_entry
    return official_head(
        series=series,
        number=entry.reference if entry else "",
        issued_on=entry.issued_on if entry else None,
        unit=job.unit,
    )
