"""Run every bench/bench_*.py on SQLite and, when a server is given, on PostgreSQL.

    .venv/bin/python bench/run.py [--postgres URL] [--only tree]   (or: make bench)

PostgreSQL comes from --postgres or KIEUMAU_TEST_POSTGRES_URL; the benchmarks use their own
database `kieumau_bench` on that server, dropped and created for each module. Each module runs in
its own process on a freshly migrated database. Figures are printed, never asserted.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import harness  # noqa: E402


def modules(only: list[str]) -> list[str]:
    names = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    if only:
        names = [name for name in names if name.removeprefix("bench_") in only or name in only]
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("KIEUMAU_TEST_POSTGRES_URL"),
        help="postgres://USER@HOST:PORT/DB of a server to run on as well",
    )
    parser.add_argument("--only", action="append", default=[], help="e.g. --only tree")
    parser.add_argument("--child", nargs=2, metavar=("MODULE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_module(*args.child)

    names = modules(args.only)
    if not names:
        print(f"no benchmark matches {args.only}", file=sys.stderr)
        return 2
    print(
        f"kieumau benchmarks · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    if not args.postgres:
        print("(PostgreSQL not run: give --postgres URL or set KIEUMAU_TEST_POSTGRES_URL)")
    failed = []
    for database in harness.databases(postgres_url=args.postgres):
        for name in names:
            url = harness.reset(database)
            result = subprocess.run([sys.executable, __file__, "--child", name, url])
            if result.returncode != 0:
                failed.append(f"{name} on {database.name}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def run_module(name: str, url: str) -> int:
    harness.use_database(url)
    print(f"\n{name} on {harness.database_label()}", flush=True)
    import_module(name).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
