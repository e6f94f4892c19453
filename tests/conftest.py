"""Shared fixtures: one named user per role, the usual records, the in-process
task runner.

Who may see what:
- staff (Chuyên viên Trung tâm): registers establishments, drafts and runs projects;
- reviewer (Thẩm định viên, Sở Công Thương): appraises projects;
- manager (Lãnh đạo): reads everything, downloads reports;
- admin (Quản trị viên): reference data and users, plus what managers see.

Records come from tests/factories.py, situations from tests/builders.py; a
conftest holds fixtures only, and no test imports another package's conftest
or a test module.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from enterprises.models import Commune, Establishment, Sector
from enterprises.roles import Role
from projects.models import Plan, Project, Source
from reports.models import ReportJob

from . import cleanup
from .builders import make_establishment, make_plan, make_project
from .factories import home_commune, make_user, reviewer_user, staff_user
from .factories import sector as seeded_sector

# --- people -----------------------------------------------------------------------


# A situation a package shares among its tests (tests.builders.
# shared_for_the_scope) is built by these two people: a test of that package
# gets the same ones.
@pytest.fixture
def staff(db) -> User:
    return User.objects.filter(username="staff").first() or staff_user()


@pytest.fixture
def reviewer(db) -> User:
    return User.objects.filter(username="reviewer").first() or reviewer_user()


@pytest.fixture
def manager(db) -> User:
    return make_user("manager", Role.MANAGER)


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", Role.ADMIN, is_staff=True)


@pytest.fixture
def nobody(db) -> User:
    """Logged in, but holding no role."""
    return make_user("nobody", None)


@pytest.fixture
def as_user(client):
    """Log the test client in as the given user and return the client."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


# --- the usual records ------------------------------------------------------------


@pytest.fixture
def commune(db) -> Commune:
    """The first commune (by official code) of the home province."""
    return home_commune()


@pytest.fixture
def sector(db) -> Sector:
    return seeded_sector()


@pytest.fixture
def establishment(commune) -> Establishment:
    """A household business, the beneficiary of the usual projects."""
    return make_establishment(commune)


@pytest.fixture
def local_plan(db) -> Plan:
    return make_plan(Source.LOCAL)


@pytest.fixture
def national_plan(db) -> Plan:
    return make_plan(Source.NATIONAL)


@pytest.fixture
def local_project(staff, local_plan, establishment) -> Project:
    """A local machinery draft asking 120,000,000 đ."""
    return make_project(staff, {local_plan: 120_000_000}, beneficiaries=[establishment])


@pytest.fixture
def national_project(staff, national_plan, establishment) -> Project:
    return make_project(
        staff, {national_plan: 120_000_000}, beneficiaries=[establishment]
    )


# --- tasks and workers ------------------------------------------------------------


@pytest.fixture
def in_process():
    """Run tasks in-process whatever the environment, as `make run` does: the
    tests that use it are about the job's code path, not about the broker."""
    from khuyencong.celery import app

    conf = app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def broker():
    """Point the Celery app at a broker of the test's choosing (a dead one:
    tests.builders.DEAD_BROKER, or "memory://"), then restore it."""
    from khuyencong.celery import app

    saved = app.conf.task_always_eager

    def use(url: str) -> None:
        # The write URL: with CELERY_BROKER_URL in Django's settings, the
        # namespaced key shadows a plain `broker_url` override.
        app.conf.broker_write_url = url
        app.conf.task_always_eager = False
        # Drop pooled connections and producers bound to the previous broker.
        app._pool = None
        app.amqp._producer_pool = None

    yield use
    app.conf.broker_write_url = None
    app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def database_url() -> str:
    """This test database as a URL, for a process a test starts (a worker,
    gunicorn) to share it."""
    return _database_url()


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.fixture
def worker_queue() -> str:
    """A private queue for real Celery workers started by the test; skipped
    without a broker and a server database the worker can share."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip(
            "không có CELERY_BROKER_URL: bỏ qua kiểm thử với Celery worker thật"
        )
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (DATABASE_URL) để worker dùng chung cơ sở dữ liệu")
    return f"kc-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def start_worker(worker_queue) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start a real Celery worker process (production settings module) on the
    test's queue, sharing its database and media folder; every worker still
    running at the end of the test is stopped."""
    started: list[subprocess.Popen] = []

    def start(**extra_env: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings.base",
            "SECRET_KEY": "worker-test-secret-key-not-for-production-xxxxxxxxxxxx",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **extra_env,
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "khuyencong",
                "worker",
                "--pool=solo",
                "-Q",
                worker_queue,
                "-n",
                f"{worker_queue}@%h",
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        stop_worker(proc)


def stop_worker(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def wait_for_job() -> Callable[..., ReportJob]:
    """Wait until a job a worker runs is finished, and return it."""

    def wait(job: ReportJob, seconds: float = 90) -> ReportJob:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                return job
            time.sleep(0.3)
        raise AssertionError(f"job {job.pk} still {job.status} after {seconds} s")

    return wait


# --- running in parallel ----------------------------------------------------------


# Within each of pytest-django's classes (tests in a transaction, then
# transactional tests, then tests without the database) the longest start
# first (a minute or more for the page walk under CI, tens of seconds for each
# browser journey, a real worker or server process, a fresh database), so
# that neither process is left alone with one of them at the end. The classes
# keep their order: a transactional test ends with a flush, after which some
# per-process state drawn from reference rows is stale (moving the
# transactional tests first failed three tests in tests/applicants).
LONGEST_FIRST = ("tests/test_reference_data.py::",)
# Fixtures of tests driving a browser or another process (a Celery worker,
# gunicorn) on the shared database.
SLOW_FIXTURES = {"live_server", "start_worker", "database_url"}


def _django_class(item: pytest.Item) -> int:
    """pytest-django's order: 0 in a transaction, 1 transactional, 2 no db."""
    marker = item.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(item.fixturenames):
        return 1
    return 0 if marker or "db" in item.fixturenames else 2


def _start_rank(item: pytest.Item) -> int:
    if item.nodeid.startswith(LONGEST_FIRST):
        return 0
    if item.get_closest_marker("browser") or SLOW_FIXTURES & set(item.fixturenames):
        return 1
    return 2


def _run_order(item: pytest.Item) -> tuple[int, int]:
    """pytest-django's classes in its order, the longest first within each;
    except that a long test needing no test database (one working on a
    database of its own) starts the run instead of ending it alone."""
    django_class, rank = _django_class(item), _start_rank(item)
    if django_class == 2 and rank == 0:
        return (-1, 0)
    return (django_class, rank)


# Transactional tests end with DELETE rather than TRUNCATE (tests/cleanup.py).
cleanup.install()


def pytest_collection_finish(session) -> None:
    """Move what the process holds once the tests are collected (Django,
    the libraries, the modules and the test items: about 140,000 objects)
    out of the cyclic garbage collector's sight. It lives to the end of the
    run, and every full collection — the automatic ones, and the one before
    each PDF (reports.writers.pdf.html_to_pdf) — would scan it again: about
    half their time (tests/reports: 30 s of full collections → 17 s)."""
    import weasyprint  # noqa: F401
    from fontTools import subset  # noqa: F401

    gc.collect()
    gc.freeze()


DEMO_GROUP = "demo"


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test` runs two processes), the tests reading
    the demo data stay in one process, so it is seeded once in the run, and
    so do those of a module sharing records built once for it; the slowest
    tests of each of pytest-django's classes are put first."""
    yield
    items.sort(key=_run_order)
    if _sends_groups_together(config):
        for item in items:
            if item.nodeid.startswith("tests/demo/"):
                _join_group(item, DEMO_GROUP)
            elif _shares_module_records(item):
                # The module's tests of one of pytest-django's classes: the
                # classes keep their order (_run_order).
                _join_group(item, f"{_module_of(item)}-{_django_class(item)}")


def _module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _shares_module_records(item: pytest.Item) -> bool:
    """Whether the test uses a fixture built once per module (the records of
    tests.builders.shared_for_the_scope): spread over both processes, its
    tests would have it built twice."""
    return any(
        definitions[-1].scope == "module"
        for definitions in item._fixtureinfo.name2fixturedefs.values()
    )


def _sends_groups_together(config) -> bool:
    """Whether this is a test process of `--dist loadgroup` (pytest-xdist sets
    its `dist` to "no" and `loadgroup` to True there)."""
    return bool(getattr(config.option, "loadgroup", False))


def _join_group(item: pytest.Item, group: str) -> None:
    """What `pytest.mark.xdist_group(group)` is meant to do: --dist loadgroup
    sends the tests whose id ends in "@group" to one process. pytest-xdist 3.8
    appends it to `item._nodeid`, which pytest 9.2 no longer reads (the id is
    `item._id`), so the mark alone groups nothing; the id is given its suffix
    here (tests/demo/test_one_process.py checks it under `make test`)."""
    from _pytest.nodeid import NodeId

    if not item.nodeid.endswith(f"@{group}"):
        item._id = NodeId.parse(f"{item.nodeid}@{group}")


# --- the test databases -----------------------------------------------------------

# Under pytest-xdist on PostgreSQL, the controller (which runs no test) migrates
# one database and each test process starts from a copy of it (CREATE DATABASE
# … TEMPLATE, a second), instead of every process running all the migrations
# at once on the same two cores. The process finds its database made, as with
# --reuse-db, so its migrate has nothing to do; the controller drops them all
# at the end. Elsewhere (SQLite, one process, --reuse-db) nothing changes.
_PREPARED = pytest.StashKey[list]()
_COPIES = pytest.StashKey[list]()


def _is_xdist_controller(config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(
        config, "workerinput"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session) -> None:
    from django.db import connections

    config = session.config
    if not _is_xdist_controller(config) or config.getvalue("reuse_db"):
        return
    if connections["default"].vendor != "postgresql":
        return
    from django.test.utils import setup_databases
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        config.stash[_PREPARED] = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=()
        )
        connections["default"].close()


@pytest.hookimpl(optionalhook=True)  # an xdist hook
def pytest_configure_node(node) -> None:
    """Copy the migrated database for the test process `node` (gw0, gw1…),
    under the name pytest-django gives that process's database."""
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    config = node.config
    if _PREPARED not in config.stash:
        return
    with config.stash[blocking_manager_key].unblock():
        creation = connections["default"].creation
        creation.clone_test_db(suffix=node.gateway.id, verbosity=0)
    config.stash.setdefault(_COPIES, []).append(node.gateway.id)
    node.workerinput["kc_database_copied"] = True


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_keepdb) -> bool:
    """A test process keeps the database the controller copied for it (and
    leaves dropping it to the controller)."""
    workerinput = getattr(request.config, "workerinput", {})
    return django_db_keepdb or workerinput.get("kc_database_copied", False)


def pytest_sessionfinish(session) -> None:
    from django.db import connections
    from django.test.utils import teardown_databases
    from pytest_django.plugin import blocking_manager_key

    config = session.config
    if _PREPARED not in config.stash:
        return
    with config.stash[blocking_manager_key].unblock():
        creation = connections["default"].creation
        for suffix in config.stash.get(_COPIES, []):
            creation.destroy_test_db(verbosity=0, suffix=suffix)
        teardown_databases(config.stash[_PREPARED], verbosity=0)
    del config.stash[_PREPARED]
