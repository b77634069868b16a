"""Reports and exports: the review report of a province of about 150 communes (.docx, then PDF
through LibreOffice), and the national indicator values of one year to .xlsx and CSV with the
peak memory beside the time.

Goals (issue 8): .docx under 3 s, PDF under 10 s; 3,321 units × 30 indicators × 12 months
(≈ 1.2 M values) to xlsx in under 30 s with memory flat. The values are bench/synthetic.py's,
the last 12 months (KIEUMAU_BENCH_SCALE scales the communes down for quick runs).
"""

import datetime as dt
import os
import resource
import tempfile
from pathlib import Path

import synthetic
from harness import analyze, ensure_tree, timed


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run() -> None:
    from kieumau.accounts.models import Role
    from kieumau.accounts.services import create_user
    from kieumau.criteria.loading import ensure_indicator_catalogue, load_catalog
    from kieumau.orgunits import tree
    from kieumau.orgunits.models import Level, OrgUnit, Placement, valid_on
    from kieumau.reports import content, pdf, render, sheets, tables
    from kieumau.reports.services import ReviewOptions

    ensure_tree()
    ensure_indicator_catalogue()
    load_catalog()
    scale = float(os.environ.get("KIEUMAU_BENCH_SCALE", "1"))
    timed("generate 12 months of synthetic values", lambda: synthetic.generate(
        months=12, scale=scale), describe=str)
    timed("planner statistics (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE)", analyze)
    day = synthetic.LAST_MONTH
    ministry = create_user(username="bench-bo", password="bench-pass-123",
                           role=Role.MINISTRY_ADMIN,
                           home_unit=tree.unit_by_code(units=OrgUnit.objects.all(), code="BCA",
                                                       as_of=day))
    # The province whose number of communes today is nearest 150.
    sizes = (Placement.objects.filter(valid_on(day), unit__level=Level.COMMUNE)
             .values("path").order_by())
    counts: dict[str, int] = {}
    for row in sizes:
        province_path = "/".join(row["path"].strip("/").split("/")[:2])
        counts[province_path] = counts.get(province_path, 0) + 1
    provinces = {p.path.strip("/"): p.unit for p in Placement.objects.filter(
        valid_on(day), unit__level=Level.PROVINCE).select_related("unit")}
    path, communes = min(((p, n) for p, n in counts.items() if p in provinces),
                         key=lambda item: abs(item[1] - 150))
    province = provinces[path]
    print(f"  province: {province.name} ({communes} communes today)", flush=True)
    first, last = dt.date(day.year, 1, 1), day
    options = ReviewOptions()
    out = Path(tempfile.mkdtemp(prefix="kieumau-bench-"))

    def docx() -> int:
        context = content.review_context(user=ministry, unit=province, first=first, last=last,
                                         options=options)
        data = render.render_docx(context, images=context.pop("_images", {}))
        (out / "bao-cao.docx").write_bytes(data)
        return len(data)

    timed("review report of the province, .docx", docx, repeat=3, warmup=1,
          describe=lambda size: f"{size / 1024:.0f} KB")
    if pdf.available():
        timed("the same .docx to PDF (LibreOffice headless)",
              lambda: pdf.docx_to_pdf(out / "bao-cao.docx", out), repeat=3,
              describe=lambda made: f"{made.stat().st_size / 1024:.0f} KB")
    else:
        print("  PDF: LibreOffice is not installed here; not measured", flush=True)

    country = ministry.home_unit
    params = sheets.Params(synthetic.month_starts(months=12)[0], day)
    for label, write in (
        ("national values of 12 months to .xlsx", lambda t: tables.write_xlsx(t, out / "v.xlsx")),
        ("national values of 12 months to CSV", lambda t: _csv(t, out / "v.csv")),
    ):
        before = _rss_mb()
        rows = timed(label, lambda w=write: w(sheets.indicator_values(ministry, country, params)),
                     describe=lambda n: f"{n:,} rows")
        print(f"  {'':<58} peak RSS {_rss_mb():.0f} MB (was {before:.0f} MB before this export)",
              flush=True)
        del rows


def _csv(table, path: Path) -> int:
    from kieumau.reports import tables

    count = 0
    with path.open("wb") as handle:
        for chunk in tables.iter_csv(table):
            handle.write(chunk)
            count += 1
    return table.total or count

