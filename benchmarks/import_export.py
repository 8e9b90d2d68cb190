"""Workbook import/export speed and memory, small / district / games side by side.

Run: ``python -m benchmarks.import_export [--sizes small district games]``

For each size: read+validate, first import into a new SQLite file, no-op
re-import, export, and the peak Python memory (tracemalloc) of the first import.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlmodel import Session

from fixtures.generate import generate
from planner.db import init_db, make_engine
from planner.services.workbook import import_workbook, load_workbook
from planner.workbook.io import read_workbook, write_csv_folder


def measure(size: str, work: Path) -> dict[str, float]:
    folder = work / size
    wb = generate(size)
    write_csv_folder(wb, folder)
    engine = make_engine(work / f"{size}.sqlite")
    init_db(engine)
    out: dict[str, float] = {"rows": float(sum(len(r) for r in wb.tables.values()))}
    t = time.perf_counter()
    read_workbook(folder)
    out["read_s"] = time.perf_counter() - t
    tracemalloc.start()
    t = time.perf_counter()
    with Session(engine) as s:
        import_workbook(s, folder)
    out["import_s"] = time.perf_counter() - t
    out["import_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    t = time.perf_counter()
    with Session(engine) as s:
        again = import_workbook(s, folder)
    out["reimport_s"] = time.perf_counter() - t
    assert not again.changed
    t = time.perf_counter()
    with Session(engine) as s:
        write_csv_folder(load_workbook(s), work / f"{size}-out")
    out["export_s"] = time.perf_counter() - t
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["small", "district", "games"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {size: measure(size, Path(tmp)) for size in args.sizes}
    keys = ["rows", "read_s", "import_s", "reimport_s", "export_s", "import_peak_mib"]
    print(f"{'':<16}" + "".join(f"{s:>12}" for s in args.sizes))
    for k in keys:
        print(
            f"{k:<16}"
            + "".join(f"{results[s][k]:>12.1f}" if k != "rows" else f"{results[s][k]:>12.0f}" for s in args.sizes)
        )


if __name__ == "__main__":
    main()
