"""Read-only queries the reports share, across apps (reports may read projects)."""

from __future__ import annotations

from collections.abc import Mapping

from reports.periods import Period


def support_received_by_establishment(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> Mapping[int, int]:
    """Support paid to each establishment in the period, in whole đồng.

    Establishment id -> amount. Establishments absent from the mapping received
    nothing, which the establishment list prints as 0.

    FOR NOW THIS RETURNS AN EMPTY MAPPING: the projects models (ProjectFunding,
    Disbursement) are being written in a parallel branch. When they land, the
    lead wires it here, once, e.g. disbursements paid within
    [period.start, period.end], filtered by funding source and programme,
    grouped by beneficiary establishment with Sum("amount"). Every report that
    shows support received goes through this function, so that is the only
    change needed.
    """
    return {}
