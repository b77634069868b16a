"""A synthetic national data set for benchmarks: every indicator, month by month, for every
commune of the pre-2025 tree and of today's, over the months each of them existed.

    .venv/bin/python bench/synthetic.py [--months 60] [--scale 1.0] [--postgres URL]

On its own it loads into the benchmarks' scratch database (SQLite under var/bench/, or the
`kieumau_bench` database on the PostgreSQL server given), tree included, and prints how long it
took. Benchmarks import `generate()`. Values are written straight into the table in big batches —
COPY on PostgreSQL, executemany in one transaction on SQLite — not through the services: this is
bench data, not history anyone entered.

Figures look like a ward's: a few crimes a month, reports mostly handled, procedures in the
hundreds, stock indicators (fire-safety groups, procedures on the portal) steady per unit; each
unit has its own size and its own weak spots, so some criteria pass and some fail.
`--scale` keeps that fraction of today's communes (with the old communes they were formed from)
and `--months` the number of months, ending with `LAST_MONTH`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

LAST_MONTH = dt.date(2026, 10, 1)  # the last full month before the fixed "today" of the project
BATCH = 200_000
SEED = 2026
COLUMNS = ("unit_id", "indicator_id", "month", "value", "entered_at", "locked", "revision")


@dataclass
class Summary:
    units: int
    months: int
    values: int
    seconds: float
    scale: float

    def __str__(self) -> str:
        return (
            f"{self.values:,} values ({self.units:,} communes × up to {self.months} months × "
            f"30 indicators, scale {self.scale:g}) in {self.seconds:.1f} s"
        )


def month_starts(*, months: int, last: dt.date = LAST_MONTH) -> list[dt.date]:
    index = last.year * 12 + last.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def chosen_units(*, scale: float) -> list[tuple[int, dt.date | None, dt.date | None]]:
    """(id, valid_from, valid_to) of the communes to fill: all of them, or a fraction of today's
    communes together with the old communes they were formed from."""
    from kieumau.orgunits.models import Lineage, OrgUnit

    communes = list(
        OrgUnit.objects.filter(level="commune")
        .order_by("pk")
        .values_list("pk", "valid_from", "valid_to")
    )
    if scale >= 1:
        return communes
    keep_new = {
        pk
        for pk, valid_from, _ in communes
        if valid_from is not None and random.Random(SEED + pk).random() < scale
    }
    keep_old = set(
        Lineage.objects.filter(successor_id__in=keep_new).values_list("predecessor_id", flat=True)
    )
    keep = keep_new | keep_old
    return [row for row in communes if row[0] in keep]


class _Profile:
    """One unit's character: its size and how reliably it meets each target."""

    def __init__(self, unit_id: int) -> None:
        rng = self.rng = random.Random(SEED * 7919 + unit_id)
        self.size = 0.4 + rng.random() * 1.6
        self.reports_slip = rng.random() < 0.12  # sometimes a crime report is handled late
        self.procedures_slip = rng.random() < 0.10
        self.portal = 40 if rng.random() < 0.9 else 36
        self.fire_groups = rng.choice((4, 5, 6, 6, 7, 8))
        self.fire_points = rng.choice((4, 5, 6, 6, 7))
        self.models = rng.choice((0, 1, 2, 3, 3, 4))
        self.flags = 1 if rng.random() < 0.95 else 0
        self.crime = 1.5 * self.size

    def values(self, month: dt.date) -> dict[str, int]:
        rng, size = self.rng, self.size
        crimes = int(rng.random() * 2 * self.crime + 0.5)
        reports = int(rng.random() * 6 * size) + 1
        handled = reports - (1 if self.reports_slip and rng.random() < 0.3 else 0)
        received = int(80 * size + rng.random() * 60)
        on_time = received - (int(rng.random() * 3) if self.procedures_slip else 0)
        feedback = int(rng.random() * 5)
        surveyed = 20 + int(rng.random() * 20)
        return {
            "toi_pham_ttxh": crimes,
            "toi_pham_ttxh_lam_ro": crimes - (1 if crimes and rng.random() < 0.2 else 0),
            "tin_bao_tiep_nhan": reports,
            "tin_bao_da_xu_ly": handled,
            "tin_bao_qua_han": reports - handled,
            "tthc_tiep_nhan": received,
            "tthc_truc_tuyen": received * 4 // 5,
            "tthc_dung_han": on_time,
            "tthc_truoc_han": received // 5,
            "tthc_thuoc_tham_quyen": 40,
            "tthc_tren_cong_dvc": self.portal,
            "de_an_06_chi_tieu": 12,
            "de_an_06_hoan_thanh": min(12, month.month + (4 if size > 0.8 else 0)),
            "to_lien_gia_pccc": self.fire_groups,
            "diem_chua_chay_cong_cong": self.fire_points,
            "mo_hinh_quan_chung": self.models,
            "khao_sat_phieu": surveyed,
            "khao_sat_hai_long": surveyed - int(rng.random() * 4),
            "phan_anh_tiep_nhan": feedback,
            "phan_anh_da_xu_ly": feedback,
            "vu_viec_nghiem_trong": 1 if rng.random() < 0.01 else 0,
            "can_bo_bi_ky_luat": 1 if rng.random() < 0.004 else 0,
            "chay_no": 1 if rng.random() < 0.05 else 0,
            "tai_nan_giao_thong": int(rng.random() * 3 * size),
            "ma_tuy_phat_hien": int(rng.random() * 2 * size),
            "vu_khi_thu_hoi": int(rng.random() * 2),
            "tuyen_truyen_buoi": 1 + int(rng.random() * 4),
            "nghi_quyet_dang_uy": self.flags,
            "ke_hoach_ubnd": self.flags,
            "dang_ky_thi_dua": self.flags,
        }


def rows(
    *, units, months: list[dt.date], indicator_ids: dict[str, int], entered_at: dt.datetime
) -> Iterator[tuple]:
    """Rows in (unit, indicator, month) order — the order of the unique index, so inserting
    appends to it — each unit over the months it existed."""
    ordered = sorted(indicator_ids.items(), key=lambda item: item[1])
    for unit_id, valid_from, valid_to in units:
        profile = _Profile(unit_id)
        existed = [
            month
            for month in months
            if (valid_from is None or _month_end(month) >= valid_from)
            and (valid_to is None or month <= valid_to)
        ]
        by_month = [(month, profile.values(month)) for month in existed]
        for code, indicator_id in ordered:
            for month, values in by_month:
                yield (unit_id, indicator_id, month, values[code], entered_at, False, 1)


def generate(
    *, months: int = 60, scale: float = 1.0, progress: Callable[[str], None] = lambda message: None
) -> Summary:
    """Replace every indicator value in the database with a synthetic set (bench databases only)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kieumau.indicators import totals
    from kieumau.indicators.models import Indicator, IndicatorValue, IndicatorValueChange
    from kieumau.indicators.services import load_indicators

    started = time.perf_counter()
    load_indicators()
    indicator_ids = dict(Indicator.objects.values_list("code", "pk"))
    units = chosen_units(scale=scale)
    month_list = month_starts(months=months)
    table = IndicatorValue._meta.db_table
    produced = rows(
        units=units, months=month_list, indicator_ids=indicator_ids, entered_at=timezone.now()
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # bench data: no need to survive a crash
            cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB: the indexes stay in memory
    with transaction.atomic():
        with connection.cursor() as cursor:  # bench data: no history to keep, no cascade to run
            cursor.execute(f"DELETE FROM {IndicatorValueChange._meta.db_table}")
            cursor.execute(f"DELETE FROM {table}")
        if connection.vendor == "postgresql":
            count = _copy(connection, table, produced, progress)
        else:
            count = _insert(connection, table, produced, progress)
        # written around the services, which keep the provinces' and the ministry's totals
        progress(f"{totals.rebuild():,} monthly totals")
    return Summary(
        units=len(units),
        months=len(month_list),
        values=count,
        seconds=time.perf_counter() - started,
        scale=scale,
    )


def _copy(connection, table: str, produced, progress) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in produced:
                copy.write_row(row)
                count += 1
                if count % 1_000_000 == 0:
                    progress(f"{count:,} values")
    return count


def _insert(connection, table: str, produced, progress) -> int:
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
    count = 0
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # sqlite3 itself: no per-row wrapper
    try:
        batch = []
        dates: dict[dt.date, str] = {}
        stamps: dict[dt.datetime, str] = {}
        for unit_id, indicator_id, month, value, at, locked, revision in produced:
            day = dates.get(month) or dates.setdefault(month, month.isoformat())
            stamp = stamps.get(at) or stamps.setdefault(at, at.isoformat())
            batch.append((unit_id, indicator_id, day, value, stamp, locked, revision))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
                if count % 1_000_000 == 0:
                    progress(f"{count:,} values")
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    finally:
        cursor.close()
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", help="postgres://USER@HOST:PORT/DB (default: SQLite)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import harness

    database = next(
        d
        for d in harness.databases(postgres_url=args.postgres)
        if d.name == ("postgresql" if args.postgres else "sqlite")
    )
    harness.use_database(harness.reset(database))
    print(f"synthetic data on {harness.database_label()}", flush=True)
    harness.timed("load the tree", harness.ensure_tree)
    summary = generate(
        months=args.months,
        scale=args.scale,
        progress=lambda message: print(f"  … {message}", flush=True),
    )
    print(f"  {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
