"""Reference data survives a flush: `flush` then `migrate` leaves every
reference table as a fresh `migrate` made it (issue 12, acceptance 2).

Run on a database file of its own, through manage.py as an operator would, so
that the migrations themselves (not the test database's copy) are exercised.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from appraisal.reference_data import DEFAULT_CRITERIA
from projects.reference_data import AUTHORITIES, DEADLINES, ROUTES
from projects.rule_data import shipped_rules

ROOT = Path(__file__).resolve().parent.parent

# Model label -> fields compared (no ids or timestamps: a flush may renumber).
REFERENCE_TABLES = {
    "enterprises.Province": ["code", "name", "division_type", "codename"],
    "enterprises.Commune": [
        "code",
        "name",
        "division_type",
        "codename",
        "province__code",
        "region",
    ],
    "enterprises.Sector": ["code", "name"],
    "projects.ActivityContent": ["code", "name", "is_active", "max_advance_share"],
    "projects.SupportRule": [
        "content__code",
        "variant",
        "source",
        "establishment_kind",
        "share_cap",
        "absolute_cap",
        "unit",
        "legal_basis",
        "verified",
        "note",
        "valid_from",
        "valid_to",
    ],
    "enterprises.EligibilityRule": [
        "valid_from",
        "valid_to",
        "kinds",
        "location",
        "max_workers",
        "max_yearly_revenue",
        "legal_basis",
        "verified",
    ],
    "reports.ReportSchedule": ["kind", "frequency", "source", "active"],
    "projects.SettlementDeadline": [
        "kind",
        "source",
        "days",
        "month",
        "day",
        "legal_basis",
        "verified",
        "valid_from",
        "valid_to",
    ],
    # The decisions' issuing bodies and the approval routes (routes.py).
    "projects.IssuingAuthority": [
        "name",
        "short_name",
        "level",
        "signer_title",
        "active",
    ],
    "projects.Route": [
        "source",
        "valid_from",
        "name",
        "authority__level",
        "legal_basis",
    ],
    "projects.RouteStep": [
        "route__source",
        "route__valid_from",
        "order",
        "action",
        "role",
        "authority__level",
    ],
    # The appraisal council's default criteria.
    "appraisal.CriteriaSet": ["name", "valid_from", "threshold", "basis"],
    "appraisal.Criterion": [
        "criteria_set__name",
        "order",
        "name",
        "max_score",
        "basis",
    ],
    # The one row of what documents print: its id is part of it.
    "reports.OfficialSettings": [
        "id",
        "report_symbol",
        "dossier_symbol",
        "minutes_symbol",
        "preparer_title",
        "preparer_name",
        "signer_title",
        "signer_name",
        "recipients",
    ],
    # None shipped (the defaults in followups.models apply when there is no
    # row); listed so that a shipped row would be checked too.
    "followups.FollowUpRule": [
        "months_after_settlement",
        "days_to_answer",
        "remind_every_days",
        "valid_from",
        "note",
    ],
}


def dump() -> dict[str, list]:
    """Every reference row as plain values, in a stable order (run inside the
    subprocess's Django)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    tables: dict[str, list] = {}
    for label, fields in REFERENCE_TABLES.items():
        rows = apps.get_model(label).objects.values_list(*fields)
        tables[label] = sorted([str(value) for value in row] for row in rows)
    tables["auth.Group"] = sorted(
        [
            group.name,
            sorted(
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.all()
            ),
        ]
        for group in Group.objects.prefetch_related("permissions__content_type")
    )
    return tables


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def migrated(env: dict[str, str]) -> dict[str, list]:
    """`manage.py migrate`, then the reference rows it left, read in the same
    process (one Django start-up fewer than a shell of its own)."""
    out = manage(
        env,
        "shell",
        "-c",
        "import json; from django.core.management import call_command; "
        "call_command('migrate', interactive=False, verbosity=0); "
        "from tests.test_reference_data import dump; "
        "print('DUMP' + json.dumps(dump()))",
    )
    return json.loads(out[out.index("DUMP") + 4 :])


def test_flush_then_migrate_restores_the_reference_data_of_a_fresh_migrate(
    tmp_path,
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    fresh = migrated(env)
    manage(env, "flush", "--noinput", "-v", "0")
    after_flush = migrated(env)

    # The data is really there, with the figures of the regulations.
    contents = {row[0]: row[3] for row in fresh["projects.ActivityContent"]}
    assert len(contents) == 11
    assert {code for code, share in contents.items() if share == "70.00"} == {
        "1",
        "2",
        "7",
    }
    assert len(fresh["enterprises.Commune"]) > 3000
    assert len(fresh["enterprises.Sector"]) == 8
    # Every row of docs/rules.md, national and local, and the two versions of
    # who may be supported.
    assert len(fresh["projects.SupportRule"]) == len(shipped_rules())
    assert len(fresh["enterprises.EligibilityRule"]) == 2
    assert len(fresh["reports.ReportSchedule"]) == 3
    assert len(fresh["projects.SettlementDeadline"]) == len(DEADLINES)
    assert len(fresh["projects.IssuingAuthority"]) == len(AUTHORITIES)
    assert sorted(row[0] for row in fresh["projects.Route"]) == ["KCDP", "KCQG"]
    assert len(fresh["projects.RouteStep"]) == sum(len(r[3]) for r in ROUTES)
    assert len(fresh["appraisal.CriteriaSet"]) == 1
    assert len(fresh["appraisal.Criterion"]) == len(DEFAULT_CRITERIA)
    assert len(fresh["reports.OfficialSettings"]) == 1
    assert fresh["followups.FollowUpRule"] == []
    assert [name for name, _perms in fresh["auth.Group"]] == sorted(
        [
            "Chuyên viên Trung tâm",
            "Thẩm định viên",
            "Lãnh đạo",
            "Quản trị viên",
            "Cơ sở / Đơn vị thụ hưởng",
        ]
    )
    # An establishment's account holds no model permission: it reaches only
    # its own pages, through the policy (enterprises/policy.py).
    assert all(
        perms
        for name, perms in fresh["auth.Group"]
        if name != "Cơ sở / Đơn vị thụ hưởng"
    )

    for table, rows in fresh.items():
        assert after_flush[table] == rows, table
