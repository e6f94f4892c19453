"""Report benchmark (issue 6, acceptance 4): `make bench`.

Prints, for N rows (default 100,000) of the establishment list -- the one
report whose data exists before the projects models land; the projects-based
reports go through the same writers:

- Excel: our writer next to bare openpyxl write-only appending the same rows
  (both from rows already in memory, so only the writers are compared), and
  the whole job (database + writer) for context;
- PDF for 1,000 rows: our renderer next to bare WeasyPrint on the same HTML;
- peak memory of the Excel job (a fresh process running report_generate):
  maximum resident set size, and the Python heap peak (tracemalloc).

Uses its own SQLite database under var/bench/ (filled once, reused), so it
never touches the development database.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench" / "bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.pop("CELERY_BROKER_URL", None)
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
PDF_ROWS = int(os.environ.get("BENCH_PDF_ROWS", "1000"))


def setup() -> None:
    import django

    django.setup()


def fill(n: int) -> None:
    from django.core.management import call_command

    from enterprises.models import Commune, Establishment, EstablishmentKind, Sector

    DB.parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    have = Establishment.objects.count()
    if have >= n:
        return
    communes = list(Commune.objects.in_province(38))
    sector, _ = Sector.objects.get_or_create(code="BENCH", name="Mây tre đan")
    batch = []
    for i in range(have, n):
        batch.append(
            Establishment(
                name=f"Hợp tác xã Mây tre đan xuất khẩu số {i}",
                kind=EstablishmentKind.COOPERATIVE,
                tax_code=f"{2800000000 + i}",
                representative_name="Nguyễn Thị Lan",
                commune=communes[i % len(communes)],
                workers_total=5 + i % 50,
                women_owned=i % 3 == 0,
            )
        )
        if len(batch) == 5000:
            Establishment.objects.bulk_create(batch)
            batch = []
    Establishment.objects.bulk_create(batch)
    through = Establishment.sectors.through
    through.objects.bulk_create(
        [
            through(establishment_id=pk, sector_id=sector.pk)
            for pk in Establishment.objects.filter(sectors=None).values_list(
                "pk", flat=True
            )
        ],
        batch_size=5000,
    )


class ListExporter:
    """An exporter replaying rows already in memory (no database)."""

    def __new__(cls, base, rows, limit=None):
        from reports.periods import Period

        class Replay(base):
            def rows(self):
                yield from rows[:limit] if limit else rows

            def count(self):
                return len(rows)

        return Replay(period=Period.parse("2026"))


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


def bench_excel(rows: list[tuple]) -> dict:
    from openpyxl import Workbook

    from reports.exporters.establishments import EstablishmentListExporter
    from reports.writers.xlsx import write_xlsx

    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    headers = [str(c.header) for c in EstablishmentListExporter.columns]

    def bare() -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("bare")
        ws.append(headers)
        for row in rows:
            ws.append(row)
        wb.save(tmp / "bare.xlsx")

    def ours() -> None:
        write_xlsx(ListExporter(EstablishmentListExporter, rows), tmp / "ours.xlsx")

    # Best of three, alternating, so that neither profits from a warm cache.
    times: dict[str, list[float]] = {"bare": [], "ours": []}
    for _ in range(3):
        times["bare"].append(timed(bare))
        times["ours"].append(timed(ours))
    return {k: min(v) for k, v in times.items()}


def bench_pdf(rows: list[tuple]) -> dict:
    from django.conf import settings
    from weasyprint import HTML

    from reports.exporters.establishments import EstablishmentListExporter
    from reports.writers.pdf import render_html, write_pdf

    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    html, _printed = render_html(
        ListExporter(EstablishmentListExporter, rows, PDF_ROWS)
    )

    def bare() -> None:
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(tmp / "bare.pdf")

    def ours() -> None:
        write_pdf(
            ListExporter(EstablishmentListExporter, rows, PDF_ROWS), tmp / "ours.pdf"
        )

    def template() -> None:
        render_html(ListExporter(EstablishmentListExporter, rows, PDF_ROWS))

    times: dict[str, list[float]] = {"bare": [], "ours": [], "template": []}
    for _ in range(3):
        times["bare"].append(timed(bare))
        times["ours"].append(timed(ours))
        times["template"].append(timed(template))
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

    from reports.exporters.establishments import EstablishmentListExporter
    from reports.models import ReportJob
    from reports.services import report_generate, report_parameters

    translation.activate("vi")
    baseline = peak_rss_mb()
    job = ReportJob.objects.create(
        kind="establishments",
        parameters=report_parameters(period="2026", formats=[fmt]),
    )
    start = time.perf_counter()
    job = report_generate(job=job)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    print(
        json.dumps(
            {
                "status": job.status,
                "error": job.error,
                "seconds": seconds,
                "rss_before_mb": baseline,
                "rss_peak_mb": peak_rss_mb(),
                "heap_peak_mb": peak / 2**20,
                "bytes": job.xlsx_file.size if job.xlsx_file else 0,
                "rows": EstablishmentListExporter(period=job.period).count(),
            }
        )
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--job":
        job_child(sys.argv[2], trace="--trace" in sys.argv)
        return
    setup()
    from django.utils import translation

    translation.activate("vi")
    print(f"Preparing {ROWS:,} establishments in {DB} ...", flush=True)
    fill(ROWS)

    from reports.exporters.establishments import EstablishmentListExporter
    from reports.periods import Period

    fetch_start = time.perf_counter()
    exporter = EstablishmentListExporter(period=Period.parse("2026"))
    rows = list(exporter.iter_rows())[:ROWS]
    fetch = time.perf_counter() - fetch_start

    excel = bench_excel(rows)
    pdf = bench_pdf(rows)

    def child(*flags: str) -> dict:
        done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, __file__, "--job", "xlsx", *flags],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    job = child()
    heap = child("--trace")

    print()
    print(f"Rows: {len(rows):,} (database read into memory: {fetch:.2f} s)")
    print("Excel, writers only (best of 3):")
    print(f"  bare openpyxl write-only : {excel['bare']:.2f} s")
    print(
        f"  our writer               : {excel['ours']:.2f} s"
        f"  = {excel['ours'] / excel['bare']:.2f}x bare (target <= 1.2x)"
    )
    print(f"PDF, {PDF_ROWS:,} rows (best of 3):")
    print(f"  bare WeasyPrint, same HTML : {pdf['bare']:.2f} s")
    print(
        f"  our renderer               : {pdf['ours']:.2f} s"
        f"  = {pdf['ours'] / pdf['bare']:.2f}x bare"
    )
    print(
        f"  of which the template, our only extra work: {pdf['template']:.3f} s"
        " (the rest of any difference is machine noise)"
    )
    print("Excel job end to end (fresh process: database, writer, storage):")
    print(
        f"  {job['rows']:,} rows: status {job['status']}, {job['seconds']:.2f} s,"
        f" {job['bytes']:,} bytes"
    )
    print(
        f"  peak RSS {job['rss_peak_mb']:.0f} MB"
        f" (of which {job['rss_before_mb']:.0f} MB before the job started);"
        f" Python heap peak during the job {heap['heap_peak_mb']:.1f} MB"
        " (target <= 80 MB)"
    )


if __name__ == "__main__":
    main()
