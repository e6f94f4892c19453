"""Demo programmes and plans for `make run` (called by load_demo_data)."""

from __future__ import annotations

import datetime as dt

from .models import Plan, Programme, Source

# (source, name, first year, last year, decision no., date, allocation per year)
DEMO_PROGRAMMES = [
    (
        Source.NATIONAL,
        "Chương trình khuyến công quốc gia giai đoạn 2026–2030",
        2026,
        2030,
        "2646/QĐ-BCT",
        dt.date(2025, 10, 15),
        1_350_000_000,
    ),
    (
        Source.LOCAL,
        "Chương trình khuyến công tỉnh Thanh Hóa giai đoạn 2026–2030",
        2026,
        2030,
        "1234/QĐ-UBND",
        dt.date(2025, 12, 20),
        1_500_000_000,
    ),
]


def load_demo_plans() -> int:
    """Create the demo programmes and their plans for the current period;
    repeatable. Returns the number of plans."""
    for source, name, first, last, number, date, allocated in DEMO_PROGRAMMES:
        programme, _created = Programme.objects.get_or_create(
            source=source,
            start_year=first,
            defaults={
                "name": name,
                "end_year": last,
                "decision_no": number,
                "decision_date": date,
            },
        )
        for year in (2026, 2027):
            Plan.objects.get_or_create(
                programme=programme, year=year, defaults={"allocated": allocated}
            )
    return Plan.objects.count()
