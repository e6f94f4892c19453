"""The projects app's models, one module per area.

- choices: funding sources, statuses, disbursement kinds and the status
  groups rules share;
- dates: the one set of date rules (the paper trail's order), which every
  record checks;
- programmes: programmes and their yearly plans;
- rules: activity contents and support rules (dated reference data), and
  the record of the rule each project was held to;
- projects: projects and their funding rows;
- records: what a project's life leaves behind (timeline, adjustments,
  attachments);
- execution: the guard of execution and money records, inspections,
  progress, acceptance; equipment: machines bought and their serials (double
  support); photos;
- decisions: decisions (approval, adjustment, cancellation …) and the
  authorities that issue them; routes: the approval route of each source;
- carry_forward: decisions that carry a plan's money past its year;
- money: disbursements and the money invariants;
- refusals: `Refused`, the one error for a refused change;
- year_totals: the dashboard's figures per year, kept on write.

Every model is re-exported here, so `from projects.models import Project` is
the one way other modules name them. The area modules import each other in
this order only (choices → dates → programmes, rules → projects → records,
decisions, routes, execution → equipment → photos → carry_forward → money);
dates looks the Project model up instead of importing it.
"""

from .carry_forward import CarryForward
from .choices import (
    COMMITTED_STATUSES,
    EDITABLE_STATUSES,
    EXECUTION_STATUSES,
    LIFECYCLE_FIELDS,
    REVIEW_STATUSES,
    RUNNING_STATUSES,
    TODO_DEADLINE_DAYS,
    DisbursementKind,
    DisbursementState,
    Source,
    Status,
    source_short,
)
from .deadlines import DeadlineKind, SettlementDeadline
from .decisions import AuthorityLevel, Decision, DecisionKind, IssuingAuthority
from .equipment import EquipmentInvestment, EquipmentSerial, normalise_serial
from .execution import Acceptance, Inspection, ProgressUpdate
from .money import AlreadyRecorded, Disbursement
from .photos import ExecutionPhoto
from .programmes import Plan, PlanQuerySet, Programme
from .projects import Project, ProjectCodeCounter, ProjectFunding, ProjectQuerySet
from .records import (
    Adjustment,
    AdjustmentStatus,
    Attachment,
    AttachmentKind,
    StoredFile,
    Transition,
)
from .refusals import Refused
from .routes import Route, RouteStep
from .rules import (
    PER_BENEFICIARY_UNITS,
    ActivityContent,
    CapUnit,
    RuleApplication,
    RuleSource,
    RuleStep,
    SupportRule,
    SupportRuleQuerySet,
)
from .year_totals import CountedBeneficiary, ProjectYear, YearTotal

__all__ = [
    "COMMITTED_STATUSES",
    "EDITABLE_STATUSES",
    "EXECUTION_STATUSES",
    "LIFECYCLE_FIELDS",
    "PER_BENEFICIARY_UNITS",
    "REVIEW_STATUSES",
    "RUNNING_STATUSES",
    "TODO_DEADLINE_DAYS",
    "Acceptance",
    "ActivityContent",
    "Adjustment",
    "AdjustmentStatus",
    "AlreadyRecorded",
    "Attachment",
    "AttachmentKind",
    "AuthorityLevel",
    "CapUnit",
    "CarryForward",
    "CountedBeneficiary",
    "DeadlineKind",
    "Decision",
    "DecisionKind",
    "Disbursement",
    "DisbursementKind",
    "DisbursementState",
    "EquipmentInvestment",
    "EquipmentSerial",
    "ExecutionPhoto",
    "Inspection",
    "IssuingAuthority",
    "Plan",
    "PlanQuerySet",
    "Programme",
    "ProgressUpdate",
    "Project",
    "ProjectCodeCounter",
    "ProjectFunding",
    "ProjectQuerySet",
    "ProjectYear",
    "Refused",
    "Route",
    "RouteStep",
    "RuleApplication",
    "RuleSource",
    "RuleStep",
    "SettlementDeadline",
    "Source",
    "Status",
    "StoredFile",
    "SupportRule",
    "SupportRuleQuerySet",
    "Transition",
    "YearTotal",
    "normalise_serial",
    "source_short",
]
