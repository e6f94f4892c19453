"""The enterprises app's models, one module per area.

- places: provinces and communes (official units, region, legacy district);
- sectors: sectors and craft villages;
- eligibility: kinds of establishment and the dated eligibility rules;
- establishments: the establishments' registry.

Every model is re-exported here, so `from enterprises.models import
Establishment` is the one way other modules name them. The area modules import
each other in this order only (places → sectors → eligibility →
establishments).
"""

from .eligibility import (
    EligibilityRule,
    EligibilityRuleQuerySet,
    EstablishmentKind,
    LocationPolicy,
)
from .establishments import (
    SIMILAR_NAME_RATIO,
    SUPPORTED_PROJECT_STATUSES,
    TAX_CODE_RE,
    Eligibility,
    Establishment,
    EstablishmentQuerySet,
    HistoryEntry,
    validate_tax_code,
)
from .imports import ImportJob, ImportJobQuerySet
from .places import (
    NO_REGION,
    Commune,
    CommuneQuerySet,
    DivisionType,
    Province,
    Region,
    region_label,
)
from .sectors import CraftVillage, Sector
from .supported import SupportedTotal, SupportedYear

__all__ = [
    "NO_REGION",
    "SIMILAR_NAME_RATIO",
    "SUPPORTED_PROJECT_STATUSES",
    "TAX_CODE_RE",
    "Commune",
    "CommuneQuerySet",
    "CraftVillage",
    "DivisionType",
    "Eligibility",
    "EligibilityRule",
    "EligibilityRuleQuerySet",
    "Establishment",
    "EstablishmentKind",
    "EstablishmentQuerySet",
    "HistoryEntry",
    "ImportJob",
    "ImportJobQuerySet",
    "LocationPolicy",
    "Province",
    "Region",
    "Sector",
    "SupportedTotal",
    "SupportedYear",
    "region_label",
    "validate_tax_code",
]
