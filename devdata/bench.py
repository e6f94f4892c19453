"""Benchmark (issue 8, and issue 6 acceptance 4): `make bench`.

One command, one table. On PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/khuyencong_bench) it loads the stress set
of devdata.stress at BENCH_PROJECTS projects (default 100,000: a million
establishments), and a small one (BENCH_SMALL_PROJECTS, default 200) in a
second database named <database>_small, each reused when already there, then
measures:

- the main pages, in-process with the Django test client logged in as a
  manager: server time p50/p95 over BENCH_REQUESTS requests each, and the
  query count (CaptureQueriesContext), at both scales, so that the counts
  show they do not depend on the size;
- requests per second on the project list under gunicorn (2 workers, on a
  free port of 127.0.0.1, started and stopped here), driven by a bounded loop
  of concurrent keep-alive requests from Python threads with a logged-in
  session cookie;
- the Excel report over all the projects (the progress report once it
  exists, else the establishment list): our writer next to bare openpyxl
  write-only appending the same rows already in memory; the PDF of
  BENCH_PDF_ROWS rows next to bare WeasyPrint on the same HTML;
- the Excel job end to end in a fresh process (report_generate): time,
  maximum resident set size, and the Python heap peak (tracemalloc, a second
  run, since tracing slows the job down).

The machine, PostgreSQL version and date head the table; the table is also
written to var/bench/latest.md.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "bench"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khuyencong_bench"
)
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
SMALL_PROJECTS = int(os.environ.get("BENCH_SMALL_PROJECTS", "200"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
PDF_ROWS = int(os.environ.get("BENCH_PDF_ROWS", "1000"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
LOAD_THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "4"))
# wrk (Debian package `wrk`) drives the load when installed: -t2 -c8.
WRK = shutil.which("wrk")
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "8"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# The stress set's plan years: a report over all of them covers every project.
REPORT_PERIOD = "2022..2026"
BENCH_USER = "bench-manager"

TARGET_PAGE_MS = 50
TARGET_RPS = 200
TARGET_EXCEL_RATIO = 1.2
TARGET_PDF_RATIO = 1.2
# The job against its own writer, and its growth over the process it runs in.
TARGET_JOB_RATIO = 1.3
TARGET_JOB_MB = 15


def small_url(url: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_small"))


def child_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DATABASE_URL"] = url
    env["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings.test"
    # Persistent connections, as production runs.
    env.setdefault("CONN_MAX_AGE", "60")
    return env


def child(
    *args: str,
    url: str = DATABASE_URL,
    stream: bool = False,
    script: str = __file__,
    env: dict[str, str] | None = None,
) -> dict:
    """Run `script` (this one unless told) with `args` in a fresh process on
    database `url`, `env` added to its environment; the last line of its
    output is JSON."""
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, script, *args],
        stdout=subprocess.PIPE,
        stderr=None if stream else subprocess.PIPE,
        text=True,
        env={**child_env(url), **(env or {})},
        check=False,
    )
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:])
        sys.stderr.write((done.stderr or "")[-4000:])
        raise SystemExit(f"bench step {Path(script).name} {args} failed")
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    return json.loads(lines[-1])


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.test")
    os.environ.pop("CELERY_BROKER_URL", None)
    # The test settings turn the dashboard cache off; measure production's.
    os.environ.setdefault("KC_DASHBOARD_CACHE_SECONDS", "120")
    os.environ.setdefault("KC_LIST_CACHE_SECONDS", "120")
    os.environ.setdefault("KC_INBOX_CACHE_SECONDS", "120")
    import django

    django.setup()


# --- the database ------------------------------------------------------------------


def create_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = urlunparse(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def seed_child(n: int) -> None:
    """In a fresh process on DATABASE_URL: migrate, seed at scale n, add the
    benchmark's manager."""
    setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from devdata.stress import seed_scale, stress_counts
    from enterprises.roles import GROUP_NAMES, Role

    call_command("migrate", verbosity=0)
    seed_scale(n=n, stdout=sys.stdout)
    user, _created = User.objects.get_or_create(username=BENCH_USER)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MANAGER]))
    print(json.dumps(stress_counts()), flush=True)


# --- the pages ---------------------------------------------------------------------


def page_urls() -> dict[str, str]:
    from django.urls import reverse

    from projects.models import Project, Status

    detail = (
        Project.objects.filter(status=Status.SETTLED, is_group=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    projects = reverse("projects:list")
    establishments = reverse("enterprises:establishment_list")
    year = dt.date.today().year
    return {
        "Project list": projects,
        "Project list, filtered (status, source, year)": (
            f"{projects}?status=in_progress&source=KC%C4%90P&year={year}"
        ),
        "Project list, page 100": f"{projects}?page=100",
        "Establishment list": establishments,
        "Establishment search (broad: 'mây tre')": (f"{establishments}?q=m%C3%A2y+tre"),
        "Establishment search (one tax code)": f"{establishments}?q=3900000042",
        # The board is cached per (year, source) for KC_DASHBOARD_CACHE_SECONDS:
        # ?refresh=1 computes it on every request (its real cost), the plain
        # URL after the warm-ups is served from the cache. Report both.
        "Dashboard (current year), computed (?refresh=1)": (
            reverse("dashboard:dashboard") + f"?year={year}&refresh=1"
        ),
        "Dashboard (current year), from the cache": (
            reverse("dashboard:dashboard") + f"?year={year}"
        ),
        "Project detail": reverse("projects:detail", args=[detail]),
    }


def measure_page(
    client, url: str, *, requests: int = REQUESTS, warm: int = 3, **headers: str
) -> dict:
    """Server time of `url` in-process (p50/p95 over `requests` after `warm`
    warm-ups: caches, connection, templates) and one request's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm):
        client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    # Read now: the connection's log does not outlive a reconnection.
    captured = list(queries.captured_queries)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    times = []
    cpu = time.process_time()
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / max(requests, 1)
    times.sort()
    return {
        "url": url,
        "queries": len(captured),
        "p50": statistics.median(times),
        # This process's CPU per request (not PostgreSQL's): on a loaded
        # machine a steadier figure than the wall-clock times.
        "cpu_ms": cpu,
        "load": load_average(),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "slowest_sql": sorted((float(q["time"]), q["sql"][:300]) for q in captured)[-1:]
        or [(0.0, "")],
    }


def pages_child() -> None:
    setup()
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=BENCH_USER))
    results = {name: measure_page(client, url) for name, url in page_urls().items()}
    print(json.dumps(results), flush=True)


# --- throughput under gunicorn -----------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=BENCH_USER))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def gunicorn_pids(master: int) -> list[int]:
    """The master's workers (gunicorn forks them from the master)."""
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of these processes so far
    (/proc/<pid>/stat); a process gone is left out."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return spent


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds `pids` spent since `before` (cpu_seconds): a process
    started since counts whole. A PostgreSQL session that ended meanwhile
    (CONN_MAX_AGE) is left out rather than subtracted: its CPU is gone from
    /proc along with it."""
    return sum(t - before.get(pid, 0.0) for pid, t in cpu_seconds(pids).items())


# The gunicorn workers' sessions carry this name (libpq reads PGAPPNAME).
APP_NAME = "kc-bench-gunicorn"


def backend_pids() -> list[int]:
    """The PostgreSQL backends serving the gunicorn workers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            # This database's only: another benchmark may run on the server.
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
            " AND datname = current_database()",
            [APP_NAME],
        )
        return [row[0] for row in cursor.fetchall()]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def drive_wrk(url: str, cookie: str, seconds: float) -> dict:
    """wrk -t2 -c8 on `url`: requests, non-2xx answers and socket errors."""
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [
            WRK,
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{seconds:.0f}s",
            "--latency",
            # A busy machine answers slowly, not wrongly: wrk's 2 s default
            # would count slow answers as errors.
            "--timeout",
            "30s",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {"ok": 0, "failed": 0, "seconds": seconds, "p50_ms": None}
    total = refused = 0
    for line in out.splitlines():
        words = line.split()
        if "requests in" in line:
            total = int(words[0])
            figures["seconds"] = float(words[3].rstrip("s,").rstrip("m")) * (
                60 if words[3].rstrip(",").endswith("m") else 1
            )
        elif line.startswith("  Non-2xx or 3xx responses:"):
            refused = int(words[-1])
            figures["failed"] += refused
        elif line.startswith("  Socket errors:"):
            figures["failed"] += sum(
                int(w.rstrip(",")) for w in words if w.rstrip(",").isdigit()
            )
        elif words[:1] == ["50%"]:
            figures["p50_ms"] = _ms(words[1])
    # Socket errors are not among the completed requests; other answers are.
    figures["ok"] = total - refused
    return figures


def _ms(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def drive_threads(port: int, path: str, cookie: str, seconds: float) -> dict:
    """Without wrk: LOAD_THREADS Python threads of keep-alive requests."""
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def worker(stop: float) -> None:
        conn = connect()
        ok = failed = 0
        while time.monotonic() < stop:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    failed += 1
                if response.will_close:
                    conn.close()
                    conn = connect()
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = connect()
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed

    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=worker, args=(stop,)) for _ in range(LOAD_THREADS)
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {**counts, "seconds": time.monotonic() - start, "p50_ms": None}


def load_client() -> str:
    if WRK:
        return f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}"
    return f"{LOAD_THREADS} Python threads (wrk not installed)"


def prime(port: int, path: str, cookie: str, workers: int = 2) -> None:
    """One request per worker at once, however long it takes: a page computed
    once and then cached (the public page) is warm in every worker before it
    is measured. A sync worker busy with one request accepts no other, so the
    concurrent requests land on different workers."""
    errors: list[str] = []

    def get() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            errors.append(f"gunicorn answered {response.status} on {path}")

    threads = [threading.Thread(target=get) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(errors[0])


def load_test(
    paths: dict[str, str],
    *,
    url: str = DATABASE_URL,
    anonymous: frozenset[str] = frozenset(),
    env: dict[str, str] | None = None,
) -> dict:
    """Requests per second on each of `paths` under gunicorn with 2 sync
    workers (devdata.bench_wsgi: the portal plus the minimal view) on
    database `url`, `env` added to the workers' environment, driven by wrk
    when installed with the manager's session (no cookie for the names in
    `anonymous`); CPU per request of the two workers (/proc) and of their
    PostgreSQL backends, and the load average at the end of each run."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            gunicorn or "gunicorn",
            "devdata.bench_wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # A page computed once before its cache serves it may take long
            # at 100,000 projects on a loaded machine (see prime).
            "--timeout",
            "900",
        ],
        cwd=ROOT,
        env={**child_env(url), **(env or {}), "PGAPPNAME": APP_NAME},
    )
    try:
        cookie = session_cookie()
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/__bench__/bare/")
                conn.getresponse().read()
                conn.close()
                break
            except (ConnectionRefusedError, http.client.RemoteDisconnected):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)

        def run(path: str, cookie: str, seconds: float) -> dict:
            if WRK:
                return drive_wrk(f"http://127.0.0.1:{port}{path}", cookie, seconds)
            return drive_threads(port, path, cookie, seconds)

        results = {}
        for name, path in paths.items():
            sent = "" if name in anonymous else cookie
            prime(port, path, sent)
            run(path, sent, 3)  # both workers warm, their connections open
            workers = gunicorn_pids(server.pid)
            backends = backend_pids()
            cpu_before = cpu_seconds(workers), cpu_seconds(backends)
            figures = run(path, sent, LOAD_SECONDS)
            app_cpu = cpu_since(cpu_before[0], gunicorn_pids(server.pid))
            db_cpu = cpu_since(cpu_before[1], backend_pids())
            served = max(figures["ok"] + figures["failed"], 1)
            results[name] = {
                **figures,
                "path": path,
                "rps": figures["ok"] / figures["seconds"],
                "cpu_ms": app_cpu * 1000 / served,
                "db_cpu_ms": db_cpu * 1000 / served,
                "load": load_average(),
            }
            print(
                f"  {name}: {results[name]['rps']:.0f} req/s, "
                f"{results[name]['cpu_ms']:.1f} ms worker CPU + "
                f"{results[name]['db_cpu_ms']:.1f} ms PostgreSQL CPU per request "
                f"(load {results[name]['load']})",
                flush=True,
            )
        return results
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


# --- reports -----------------------------------------------------------------------


def report_kind() -> str:
    from reports.exporters import get_exporter

    wanted = os.environ.get("BENCH_REPORT", "progress")
    return wanted if get_exporter(wanted) else "establishments"


class ListExporter:
    """An exporter replaying rows already in memory (no database)."""

    def __new__(cls, base, rows, limit=None):
        from reports.periods import Period

        class Replay(base):
            # Rows from memory: no database to read ahead of the writer.
            read_ahead = False

            def rows(self):
                yield from rows[:limit] if limit else rows

            def count(self):
                return len(rows)

        return Replay(period=Period.parse(REPORT_PERIOD))


def peak_rss_mb() -> float:
    """This process's peak resident size. VmHWM belongs to the address space
    and starts afresh at exec; ru_maxrss would carry over the parent's peak
    from the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measured(fn) -> tuple[float, float]:
    """Wall-clock and CPU seconds of this process running fn()."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def bench_excel(exporter_class, rows: list[tuple]) -> dict:
    from openpyxl import Workbook

    from reports.writers.xlsx import write_xlsx

    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    headers = [str(c.header) for c in exporter_class.columns]

    def bare() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("bare")
        ws.append(headers)
        for row in rows:
            ws.append(row)
        wb.save(tmp / "bare.xlsx")

    def ours() -> None:
        write_xlsx(ListExporter(exporter_class, rows), tmp / "ours.xlsx")

    # Best of REPEAT, alternating, so that neither profits from a warm cache.
    times: dict[str, list[float]] = {n: [] for n in ("bare", "ours", "ours_cpu")}
    for _ in range(REPEAT):
        times["bare"].append(timed(bare))
        wall, cpu = measured(ours)
        times["ours"].append(wall)
        times["ours_cpu"].append(cpu)
    shutil.rmtree(tmp, ignore_errors=True)
    return {k: min(v) for k, v in times.items()}


def bench_pdf(exporter_class, rows: list[tuple]) -> dict:
    from django.conf import settings
    from weasyprint import HTML

    from reports.writers.pdf import render_html, write_pdf

    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    html, _printed = render_html(ListExporter(exporter_class, rows, PDF_ROWS))

    def bare() -> None:
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(tmp / "bare.pdf")

    def ours() -> None:
        write_pdf(ListExporter(exporter_class, rows, PDF_ROWS), tmp / "ours.pdf")

    times: dict[str, list[float]] = {"bare": [], "ours": []}
    for _ in range(REPEAT):
        times["bare"].append(timed(bare))
        times["ours"].append(timed(ours))
    shutil.rmtree(tmp, ignore_errors=True)
    return {k: min(v) for k, v in times.items()}


def job_child(fmt: str, trace: bool) -> None:
    """Run one real job in this (fresh) process; print its figures as JSON.

    tracemalloc slows Python down and takes memory of its own, so the heap is
    measured in a second run, apart from the time and resident size."""
    import tracemalloc

    setup()
    if trace:
        tracemalloc.start()
    from django.utils import translation

    from reports.models import ReportJob
    from reports.services import report_generate, report_parameters

    translation.activate("vi")
    kind = report_kind()
    baseline = peak_rss_mb()
    job = ReportJob.objects.create(
        kind=kind,
        parameters=report_parameters(period=REPORT_PERIOD, formats=[fmt]),
    )
    start, cpu = time.perf_counter(), time.process_time()
    job = report_generate(job=job)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    size = job.xlsx_file.size if job.xlsx_file else 0
    if job.xlsx_file:
        job.xlsx_file.delete(save=False)
    print(
        json.dumps(
            {
                "kind": kind,
                "load": load_average(),
                "status": job.status,
                "error": job.error,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "rss_before_mb": baseline,
                "rss_peak_mb": peak_rss_mb(),
                "heap_peak_mb": peak / 2**20,
                "bytes": size,
            }
        )
    )


def reports_child() -> None:
    """Writers compared on the same rows, on DATABASE_URL."""
    setup()
    from django.utils import translation

    from reports.exporters import get_exporter
    from reports.periods import Period

    translation.activate("vi")
    kind = report_kind()
    exporter_class = get_exporter(kind)
    start = time.perf_counter()
    rows = list(exporter_class(period=Period.parse(REPORT_PERIOD)).iter_rows())
    fetch = time.perf_counter() - start
    excel = bench_excel(exporter_class, rows)
    pdf = bench_pdf(exporter_class, rows)
    print(
        json.dumps(
            {
                "kind": kind,
                "load": load_average(),
                "title": str(exporter_class.title),
                "rows": len(rows),
                "fetch": fetch,
                "excel": excel,
                "pdf": pdf,
            }
        ),
        flush=True,
    )


# --- the table ---------------------------------------------------------------------


def machine() -> dict:
    import psycopg2

    memory = "?"
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    conn = psycopg2.connect(DATABASE_URL)
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    conn.close()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "memory": memory,
        "cpu": cpu,
        "postgresql": version,
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def table(
    info: dict,
    counts: dict,
    small_counts: dict,
    pages: dict,
    small_pages: dict,
    load: dict,
    report: dict,
    job: dict,
    heap: dict,
) -> str:
    lines = [
        f"Date: {info['date']}; machine: {info['nproc']} CPUs ({info['cpu']}), "
        f"{info['memory']} RAM; PostgreSQL {info['postgresql']}; "
        f"Python {info['python']}; load average at the start {info['load_start']}, "
        f"at the end {info['load']}",
        f"Data: {counts['projects']:,} projects, {counts['establishments']:,} "
        f"establishments, {counts['fundings']:,} funding rows, "
        f"{counts['beneficiaries']:,} beneficiary links, "
        f"{counts['disbursements']:,} disbursements "
        f"(small database: {small_counts['projects']:,} projects, "
        f"{small_counts['establishments']:,} establishments)",
        "",
        f"| Measure | {small_counts['projects']:,} projects "
        f"| {counts['projects']:,} projects | Target | | Load |",
        "|---|---:|---:|---|---|---|",
    ]
    for name, big in pages.items():
        small = small_pages[name]
        same = big["queries"] == small["queries"]
        lines.append(
            f"| {name}: p50 / p95 | {small['p50']:.0f} / {small['p95']:.0f} ms "
            f"| {big['p50']:.0f} / {big['p95']:.0f} ms "
            f"| p50 ≤ {TARGET_PAGE_MS} ms | {verdict(big['p50'] <= TARGET_PAGE_MS)} "
            f"| {big['load']} |"
        )
        lines.append(
            f"| {name}: queries | {small['queries']} | {big['queries']} "
            f"| independent of size | {verdict(same)} | |"
        )
    minimal = load.get("Minimal view (same middleware)")
    for name, run in load.items():
        target, ok = "", None
        if name == "Project list":
            target = f"≥ {TARGET_RPS} req/s, 0 failed"
            ok = run["rps"] >= TARGET_RPS and not run["failed"]
        cpu = run["cpu_ms"] + run["db_cpu_ms"]
        floor = max(minimal["cpu_ms"] + minimal["db_cpu_ms"], 0) if minimal else 0
        ratio = (
            f"; {cpu / floor:.1f}× the minimal view"
            if floor and run is not minimal and name != "Bare WSGI (no Django)"
            else ""
        )
        lines.append(
            f"| {name} under gunicorn (2 sync workers, {load_client()}, "
            f"{run['seconds']:.0f} s): throughput; CPU per request (workers + "
            f"PostgreSQL) | | {run['rps']:.0f} req/s ({run['failed']} failed); "
            f"{run['cpu_ms']:.1f} + {run['db_cpu_ms']:.1f} ms{ratio} "
            f"| {target} | {verdict(ok) if ok is not None else ''} | {run['load']} |"
        )
    excel, pdf = report["excel"], report["pdf"]
    ratio = excel["ours"] / excel["bare"]
    job_ratio = job["seconds"] / excel["ours"]
    grown = job["rss_peak_mb"] - job["rss_before_mb"]
    lines += [
        f"| Excel, {report['title']} ({report['rows']:,} rows): bare openpyxl "
        f"write-only | | {excel['bare']:.2f} s | | | {report['load']} |",
        f"| Excel, same rows: our writer | | {excel['ours']:.2f} s = {ratio:.2f}× bare "
        f"| ≤ {TARGET_EXCEL_RATIO}× bare | {verdict(ratio <= TARGET_EXCEL_RATIO)} "
        f"| {report['load']} |",
        f"| PDF, {PDF_ROWS:,} rows: bare WeasyPrint on the same HTML "
        f"| | {pdf['bare']:.2f} s | | | {report['load']} |",
        f"| PDF, same rows: our renderer | | {pdf['ours']:.2f} s "
        f"= {pdf['ours'] / pdf['bare']:.2f}× bare | ≤ {TARGET_PDF_RATIO}× bare "
        f"| {verdict(pdf['ours'] / pdf['bare'] <= TARGET_PDF_RATIO)} "
        f"| {report['load']} |",
        f"| Excel job end to end (fresh process: database, writer, storage) "
        f"| | {job['seconds']:.1f} s = {job_ratio:.2f}× our writer "
        f"(CPU of the process {job['cpu_seconds']:.1f} s = "
        f"{job['cpu_seconds'] / excel['ours_cpu']:.2f}× the writer's), "
        f"{job['bytes'] / 2**20:.1f} MB file | ≤ {TARGET_JOB_RATIO}× the writer "
        f"| {verdict(job_ratio <= TARGET_JOB_RATIO)} | {job['load']} |",
        f"| Excel job: peak RSS (before the job) | "
        f"| {job['rss_peak_mb']:.0f} MB ({job['rss_before_mb']:.0f} MB): "
        f"+{grown:.0f} MB | ≤ before + {TARGET_JOB_MB} MB "
        f"| {verdict(grown <= TARGET_JOB_MB)} | {job['load']} |",
        f"| Excel job: Python heap peak (tracemalloc) | | "
        f"{heap['heap_peak_mb']:.1f} MB | | | {heap['load']} |",
    ]
    lines += [
        "",
        "Server time is measured in-process (Django test client, no network), "
        f"{REQUESTS} requests per page after 3 warm-up requests; the query "
        "count is one request's. CPU per request under gunicorn is the CPU "
        "time (/proc) of the two workers and of their PostgreSQL backends "
        "over the run, divided by the requests served: unlike throughput, it "
        "hardly depends on what else runs on the machine. Slowest query of "
        "each page at the large scale:",
    ]
    for name, big in pages.items():
        ms, sql = big["slowest_sql"][0]
        lines.append(f"- {name} ({big['url']}): {ms * 1000:.1f} ms: `{sql[:160]}`")
    return "\n".join(lines)


DOC = ROOT / "docs" / "benchmarks.md"
DOC_START = "<!-- make bench: start -->"
DOC_END = "<!-- make bench: end -->"


def write_doc(text: str) -> None:
    """Put the table between the markers of docs/benchmarks.md (added under
    its first heading when missing), leaving the prose around it alone."""
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"{DOC_START}\n{text}\n{DOC_END}"
    if DOC_START in doc and DOC_END in doc:
        head, rest = doc.split(DOC_START, 1)
        doc = head + block + rest.split(DOC_END, 1)[1]
    else:
        title, _sep, body = doc.partition("\n")
        doc = f"{title}\n\n## Latest `make bench`\n\n{block}\n{body}"
    DOC.write_text(doc)


# Further measurements, each a module with `measure(url: str) -> list[str]`
# (table lines in the format above, run on the large database): one line
# per module.
def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--seed"]:
        seed_child(int(args[1]))
        return
    if args[:1] == ["--pages"]:
        pages_child()
        return
    if args[:1] == ["--reports"]:
        reports_child()
        return
    if args[:1] == ["--job"]:
        job_child(args[1], trace="--trace" in args)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    load_start = load_average()
    small = small_url(DATABASE_URL)
    for url, n in ((DATABASE_URL, PROJECTS), (small, SMALL_PROJECTS)):
        print(f"Preparing {n:,} projects in {urlparse(url).path[1:]} ...", flush=True)
        create_database(url)
    counts = child("--seed", str(PROJECTS), url=DATABASE_URL)
    small_counts = child("--seed", str(SMALL_PROJECTS), url=small)

    print("Pages ...", flush=True)
    small_pages = child("--pages", url=small)
    pages = child("--pages", url=DATABASE_URL)

    print(f"Under gunicorn, {load_client()} ...", flush=True)
    os.environ["DATABASE_URL"] = DATABASE_URL
    setup()
    from django.urls import reverse

    load = load_test(
        {
            "Project list": reverse("projects:list"),
            "Minimal view (same middleware)": "/__bench__/minimal/",
            "Bare WSGI (no Django)": "/__bench__/bare/",
        }
    )

    print("Reports ...", flush=True)
    report = child("--reports")
    job = child("--job", "xlsx")
    heap = child("--job", "xlsx", "--trace")
    if job["status"] != "done":
        raise SystemExit(f"the Excel job failed: {job['error']}")

    info = machine()
    info["load_start"] = load_start
    text = table(
        info, counts, small_counts, pages, small_pages, load, report, job, heap
    )
    from devdata.bench_public import section  # the open data's rows (issue 19)

    text += "\n\n" + section(DATABASE_URL, small)
    (OUT / "latest.md").write_text(text + "\n")
    if os.environ.get("BENCH_WRITE_DOC", "1") != "0":
        write_doc(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
