"""Benchmark of the open data (issue 19, acceptance 4): the public page and an
API list, in `make bench` through one hook in devdata/bench.py, or alone:

    BENCH_DATABASE_URL=postgres://…/khuyencong_bench_small \\
        .venv/bin/python devdata/bench_public.py

(alone, on a database already seeded by `make bench`, e.g. the small one).
The processes, the page timer and the load under gunicorn are bench.py's
(`child`, `measure_page`, `load_test`); this module only names what to
measure and writes its rows.

- in-process (Django test client): server time p50/p95 and the query count
  of one request, at both scales, for the public page served from its cache
  (what visitors get), the same page computed (cache off: its real cost once
  after each write; BENCH_COMPUTED_REQUESTS requests, 3, since it takes
  tens of seconds at 100,000 projects), a filtered public page, and the
  API's project list (/api/v1/projects/) with a read key of the benchmark's
  manager;
- under gunicorn (2 workers, the cache time of production for the public
  page), the public page, anonymous, next to the project list with the
  manager's session: requests per second and CPU per request (workers and
  PostgreSQL); the public page must hold at least TARGET_PUBLIC_RATIO times
  the list's throughput, thanks to its cache, and costs that much less CPU.

The public page's cache in these runs is the settings' cache (local memory
per process under the test settings): each gunicorn worker warms its own
(bench.prime).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devdata import bench  # after the path above

# Production keeps the public page a day (KC_PUBLIC_CACHE_SECONDS); the test
# settings the benchmark runs under turn it off unless told.
ENV = {"KC_PUBLIC_CACHE_SECONDS": os.environ.get("KC_PUBLIC_CACHE_SECONDS", "3600")}
COMPUTED_REQUESTS = int(os.environ.get("BENCH_COMPUTED_REQUESTS", "3"))

TARGET_PAGE_MS = bench.TARGET_PAGE_MS
TARGET_PUBLIC_RATIO = 2.0

PUBLIC = "Public page"
COMPUTED = "Public page, computed (cache off)"
FILTERED = "Public page, filtered (year, source), cached"
API = "API project list (/api/v1/projects/)"
PROJECTS = "Project list (manager)"


def api_key() -> str:
    """A read key of the benchmark's manager, made afresh for this run."""
    from django.contrib.auth.models import User

    from api.models import ApiToken, Scope

    user = User.objects.get(username=bench.BENCH_USER)
    ApiToken.objects.filter(user=user, name="bench").delete()
    token = ApiToken(user=user, name="bench", scope=Scope.READ, created_by=user)
    key = token.set_new_key()
    token.save()
    return key


def urls() -> dict[str, str]:
    import datetime as dt

    year = dt.date.today().year - 1
    return {
        PUBLIC: "/cong-khai/",
        COMPUTED: "/cong-khai/",
        FILTERED: f"/cong-khai/?year={year}&source=KCDP",
        API: "/api/v1/projects/",
    }


def pages_child() -> None:
    bench.setup()
    from django.test import Client, override_settings

    anonymous = Client()
    results = {}
    for name, url in urls().items():
        if name == API:
            auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key()}"}
            results[name] = bench.measure_page(Client(), url, **auth)
        elif name == COMPUTED:
            with override_settings(KC_PUBLIC_CACHE_SECONDS=0):
                results[name] = bench.measure_page(
                    anonymous, url, requests=COMPUTED_REQUESTS, warm=1
                )
        else:
            results[name] = bench.measure_page(anonymous, url)
    print(json.dumps(results), flush=True)


def throughput(url: str) -> dict:
    """The public page (anonymous) and the project list (the manager's
    session) under one gunicorn on database `url`."""
    from django.urls import reverse

    return bench.load_test(
        {PUBLIC: "/cong-khai/", PROJECTS: reverse("projects:list")},
        url=url,
        anonymous=frozenset({PUBLIC}),
        env=ENV,
    )


# --- the table -----------------------------------------------------------------


def section(url: str, small: str) -> str:
    """The open data's rows of the benchmark table: pages at both scales
    (`url` the large database, `small` the small one), throughput on the
    large one. The caller has set Django up on `url` (bench.main does)."""
    print("Public page and API ...", flush=True)
    small_pages = bench.child("--pages", url=small, script=__file__, env=ENV)
    pages = bench.child("--pages", url=url, script=__file__, env=ENV)
    print(f"Public page under gunicorn, {bench.load_client()} ...", flush=True)
    load = throughput(url)
    public, projects = load[PUBLIC], load[PROJECTS]
    ratio = public["rps"] / projects["rps"] if projects["rps"] else 0.0
    cpu = {n: r["cpu_ms"] + r["db_cpu_ms"] for n, r in load.items()}
    cpu_ratio = cpu[PROJECTS] / cpu[PUBLIC] if cpu[PUBLIC] else 0.0
    verdict = bench.verdict
    lines = [
        "| Open data (issue 19) | small | large | Target | | Load |",
        "|---|---:|---:|---|---|---|",
    ]
    for name, big in pages.items():
        little = small_pages[name]
        met = verdict(big["p50"] <= TARGET_PAGE_MS)
        lines += [
            f"| {name}: p50 / p95 | {little['p50']:.0f} / {little['p95']:.0f} ms "
            f"| {big['p50']:.0f} / {big['p95']:.0f} ms | p50 ≤ {TARGET_PAGE_MS} ms "
            f"| {met if name != COMPUTED else 'once after a write'} "
            f"| {big['load']} |",
            f"| {name}: Python CPU per request | {little['cpu_ms']:.1f} ms "
            f"| {big['cpu_ms']:.1f} ms | | | |",
            f"| {name}: queries | {little['queries']} | {big['queries']} "
            f"| independent of size | {verdict(little['queries'] == big['queries'])} "
            "| |",
        ]
    for name, run in load.items():
        lines.append(
            f"| {name} under gunicorn (2 sync workers, {bench.load_client()}, "
            f"{run['seconds']:.0f} s): throughput; CPU per request (workers + "
            f"PostgreSQL) | | {run['rps']:.0f} req/s ({run['failed']} failed); "
            f"{run['cpu_ms']:.1f} + {run['db_cpu_ms']:.1f} ms | | | {run['load']} |"
        )
    lines.append(
        f"| Public page ÷ project list: throughput; CPU per request | "
        f"| {ratio:.1f}×; {cpu_ratio:.1f}× less | ≥ {TARGET_PUBLIC_RATIO:.0f}× "
        f"| {verdict(ratio >= TARGET_PUBLIC_RATIO and not public['failed'])} "
        f"| {public['load']} |"
    )
    return "\n".join(lines)


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--pages"]:
        pages_child()
        return
    small = os.environ.get("BENCH_SMALL_DATABASE_URL") or bench.DATABASE_URL
    os.environ["DATABASE_URL"] = bench.DATABASE_URL
    bench.setup()
    print(section(bench.DATABASE_URL, small))


if __name__ == "__main__":
    main()
