"""The projects app's models, one module per area.

- choices: funding sources, statuses, disbursement kinds and the status
  groups rules share;
- dates: the one set of date rules (the paper trail's order), which every
  record checks;
- programmes: programmes and their yearly plans;
- rules: activity contents and support rules (dated reference data), and
  the record of the rule each project was held to;
- projects: projects, their funding rows and lifecycle records (timeline,
  adjustments, attachments);
- execution: equipment, inspections, progress, acceptance, photos;
- money: disbursements and the money invariants.

Every model is re-exported here, so `from projects.models import Project` is
the one way other modules name them. The area modules import each other in
this order only (choices → dates → programmes, rules → projects → execution →
money); dates looks the Project model up instead of importing it.
"""

from .choices import (
    COMMITTED_STATUSES,
    EDITABLE_STATUSES,
    EXECUTION_STATUSES,
    LIFECYCLE_FIELDS,
    RUNNING_STATUSES,
    TODO_DEADLINE_DAYS,
    DisbursementKind,
    DisbursementState,
    Source,
    Status,
    source_short,
)
from .deadlines import DeadlineKind, SettlementDeadline
from .execution import (
    Acceptance,
    EquipmentInvestment,
    EquipmentSerial,
    ExecutionPhoto,
    Inspection,
    ProgressUpdate,
    RecordRefused,
    normalise_serial,
)
from .money import (
    AlreadyRecorded,
    CarryForward,
    Disbursement,
)
from .programmes import Plan, PlanQuerySet, Programme
from .projects import (
    Adjustment,
    AdjustmentStatus,
    Attachment,
    AttachmentKind,
    Project,
    ProjectCodeCounter,
    ProjectFunding,
    ProjectQuerySet,
    Transition,
)
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

__all__ = [
    "COMMITTED_STATUSES",
    "EDITABLE_STATUSES",
    "EXECUTION_STATUSES",
    "LIFECYCLE_FIELDS",
    "PER_BENEFICIARY_UNITS",
    "RUNNING_STATUSES",
    "TODO_DEADLINE_DAYS",
    "Acceptance",
    "ActivityContent",
    "Adjustment",
    "AdjustmentStatus",
    "AlreadyRecorded",
    "Attachment",
    "AttachmentKind",
    "CapUnit",
    "CarryForward",
    "DeadlineKind",
    "Disbursement",
    "DisbursementKind",
    "DisbursementState",
    "EquipmentInvestment",
    "EquipmentSerial",
    "ExecutionPhoto",
    "Inspection",
    "Plan",
    "PlanQuerySet",
    "Programme",
    "ProgressUpdate",
    "Project",
    "ProjectCodeCounter",
    "ProjectFunding",
    "ProjectQuerySet",
    "RecordRefused",
    "RuleApplication",
    "RuleSource",
    "RuleStep",
    "SettlementDeadline",
    "Source",
    "Status",
    "SupportRule",
    "SupportRuleQuerySet",
    "Transition",
    "normalise_serial",
    "source_short",
]
