"""The years in which each establishment was supported, and their counts per
priority group, kept on write for the manager's board (issue 20).

The board's beneficiaries card counts, for a year and a source, the distinct
establishments named in the year's approved projects, and among them the
women-owned, the ethnic-minority-owned and the mountainous ones. Counting
them from the projects' beneficiary links looks up some 30,000
establishments by key at 100,000 projects; here they are kept:

- `SupportedYear`: one row per establishment and the years it counts in, per
  scope ("" for both sources, else one source), with the establishment's
  priority flags as they were when the row was written. The years are a set:
  single years (`onward` False), and at most one row standing for its year
  and every later one (`onward`), after which no single year is kept. A
  year is therefore read from exactly one row or none, and the board counts
  rows without DISTINCT.
- `SupportedTotal`: those rows counted per (year, onward, scope, flags): what
  the board reads, a few dozen rows.

Which years an establishment counts in is the projects' business
(projects.models.year_totals, from the projects' shares of the year
totals); it hands the sets over to `supported_store`, which also writes the
flags. An edit of an establishment's flags or commune calls
`supported_follow` (the establishment form, the admin, the import), so that
the rows and counts carry its flags again. Both run in the writer's
transaction under the establishments' row locks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps as global_apps
from django.db import models

from ..sql import add_to_counts
from .places import Region

# (year, onward, scope)
Years = frozenset[tuple[int, bool, str]]

FLAGS = ("women_owned", "ethnic_minority_owned", "mountain")
TOTAL_KEY = ("year", "onward", "scope", *FLAGS)
CHUNK = 2000


class SupportedFigures(models.Model):
    year = models.PositiveSmallIntegerField()
    # This row stands for its year and every later one.
    onward = models.BooleanField(default=False)
    # "" for both sources, else one source.
    scope = models.CharField(max_length=4, blank=True)
    women_owned = models.BooleanField(default=False)
    ethnic_minority_owned = models.BooleanField(default=False)
    # In a commune of the mountainous region.
    mountain = models.BooleanField(default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year}{'+' if self.onward else ''} {self.scope or '*'}"


class SupportedYear(SupportedFigures):
    """An establishment counts among the supported ones of these years."""

    # Not a foreign key: a deleted establishment's rows are still read once,
    # to take them off the totals.
    establishment_id = models.IntegerField(db_index=True)

    class Meta:
        verbose_name = "supported establishment's years"


class SupportedTotal(SupportedFigures):
    """How many establishments count in a year (and scope) per flags."""

    establishments = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "supported establishments' count"
        constraints = [
            models.UniqueConstraint(
                fields=list(TOTAL_KEY), name="supported_total_one_per_key"
            )
        ]


def as_rows(years: Iterable[tuple[int, bool, str]]) -> Years:
    """Years in the kept form: every (year, scope) from the first onward year
    of its scope on is that row's; single years past it are left out."""
    years = set(years)
    first_onward: dict[str, int] = {}
    for year, onward, scope in years:
        if onward:
            first_onward[scope] = min(year, first_onward.get(scope, year))
    return frozenset(
        (year, onward, scope)
        for year, onward, scope in years
        if scope not in first_onward
        or (year < first_onward[scope] and not onward)
        or (onward and year == first_onward[scope])
    )


def _flags(ids: list[int], registry: Any) -> dict[int, tuple[bool, bool, bool]]:
    Establishment = registry.get_model("enterprises", "Establishment")
    return {
        pk: (women, ethnic, region == Region.MOUNTAIN)
        for pk, women, ethnic, region in Establishment.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "women_owned", "ethnic_minority_owned", "commune__region")
    }


def _lock_flags(ids: list[int]) -> dict[int, tuple[bool, bool, bool]]:
    """The flags of these establishments as they are now, taking their row
    locks in key order: their rows and counts are written by one transaction
    at a time, and what is read after the lock is what the writers before
    committed. (NO KEY: a project may still name them meanwhile.)"""
    from .establishments import Establishment

    return {
        pk: (women, ethnic, region == Region.MOUNTAIN)
        for pk, women, ethnic, region in Establishment.objects.filter(pk__in=ids)
        .order_by("pk")
        .select_for_update(no_key=True, of=("self",))
        .values_list("pk", "women_owned", "ethnic_minority_owned", "commune__region")
    }


def supported_store(
    *,
    establishment_ids: Iterable[int],
    years_of: Callable[[list[int]], dict[int, set[tuple[int, bool, str]]]],
) -> None:
    """Lock these establishments, then make each one's kept years
    `years_of(ids)[pk]` (as_rows; none when missing), with its flags as they
    are now, and move the counts by the difference. A deleted establishment
    counts nowhere, whatever `years_of` says."""
    ids = sorted(set(establishment_ids))
    if not ids:
        return
    flags = _lock_flags(ids)
    years = years_of(ids)
    stored: dict[int, set[tuple]] = {pk: set() for pk in ids}
    for row in SupportedYear.objects.filter(establishment_id__in=ids).values_list(
        "establishment_id", *TOTAL_KEY
    ):
        stored[row[0]].add(row[1:])
    deltas: dict[tuple, int] = {}
    changed = []
    for pk in ids:
        new = set()
        if pk in flags:
            new = {(*key, *flags[pk]) for key in as_rows(years.get(pk, ()))}
        if new == stored[pk]:
            continue
        changed.append(pk)
        for row in stored[pk]:
            deltas[row] = deltas.get(row, 0) - 1
        for row in new:
            deltas[row] = deltas.get(row, 0) + 1
        stored[pk] = new
    if not changed:
        return
    SupportedYear.objects.filter(establishment_id__in=changed).delete()
    SupportedYear.objects.bulk_create(
        [
            SupportedYear(establishment_id=pk, **dict(zip(TOTAL_KEY, row, strict=True)))
            for pk in changed
            for row in sorted(stored[pk])
        ]
    )
    add_to_counts(
        SupportedTotal,
        TOTAL_KEY,
        ("establishments",),
        {k: (n,) for k, n in deltas.items()},
    )


def supported_follow(*, establishment_ids: Iterable[int]) -> None:
    """After an edit of these establishments (flags, commune) or their
    deletion: their kept rows and the counts carry their flags as they are
    now (the years are those kept)."""

    def kept(ids: list[int]) -> dict[int, set[tuple[int, bool, str]]]:
        years: dict[int, set[tuple[int, bool, str]]] = {pk: set() for pk in ids}
        for pk, *key in SupportedYear.objects.filter(
            establishment_id__in=ids
        ).values_list("establishment_id", "year", "onward", "scope"):
            years[pk].add(tuple(key))
        return years

    ids = sorted(set(establishment_ids))
    for i in range(0, len(ids), CHUNK):
        supported_store(establishment_ids=ids[i : i + CHUNK], years_of=kept)


def supported_rebuild(
    *, years: dict[int, Iterable[tuple[int, bool, str]]], registry: Any = global_apps
) -> None:
    """Every establishment's kept years from scratch (a loader that wrote in
    bulk, the migration): `years` names every supported establishment."""
    Year = registry.get_model("enterprises", "SupportedYear")
    Total = registry.get_model("enterprises", "SupportedTotal")
    Year.objects.all().delete()
    Total.objects.all().delete()
    ids = sorted(years)
    counts: dict[tuple, int] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        flags = _flags(chunk, registry)
        rows = []
        for pk in chunk:
            for key in sorted(as_rows(years[pk])) if pk in flags else ():
                row = (*key, *flags[pk])
                counts[row] = counts.get(row, 0) + 1
                rows.append(
                    Year(establishment_id=pk, **dict(zip(TOTAL_KEY, row, strict=True)))
                )
        Year.objects.bulk_create(rows, batch_size=CHUNK)
    Total.objects.bulk_create(
        [
            Total(**dict(zip(TOTAL_KEY, key, strict=True)), establishments=n)
            for key, n in sorted(counts.items())
        ],
        batch_size=CHUNK,
    )


def recomputed_counts() -> dict[tuple, int]:
    """The counts recomputed from the kept rows (the tests compare them with
    the stored counts), zero counts left out."""
    counts: dict[tuple, int] = {}
    for row in SupportedYear.objects.values_list(*TOTAL_KEY):
        counts[row] = counts.get(row, 0) + 1
    return counts


def stored_counts() -> dict[tuple, int]:
    return {
        row[:-1]: row[-1]
        for row in SupportedTotal.objects.values_list(*TOTAL_KEY, "establishments")
        if row[-1]
    }
