"""Public-format and ledger readers against a baseline in the same process.

- USPTO grant XML: ``uspto_xml.read`` (split, parse, map every document) against splitting and
  parsing alone (``iter_documents`` + expat), on the 196-grant sample repeated ``--scale`` times.
- Ledger: ``ledger.read`` of a filled cases template (``--rows`` rows) against
  ``pandas.read_excel`` of the same sheet (openpyxl engine, which the reader also uses).

    .venv/bin/python bench/sources_public.py [--scale 5] [--rows 2000]

Writes bench/results/sources_public.json and prints the ratios (reader time / baseline time).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "uspto-bulk-grant-xml" / "xml-single-docs" / "ipg120327.196.xml"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_uspto(scale: int, tmp: Path) -> dict:
    from ipobs.sources import uspto_xml
    from ipobs.sources.xmldocs import iter_documents

    path = tmp / "ipg_scaled.xml"
    data = SAMPLE.read_bytes()
    path.write_bytes(data * scale)
    docs = sum(1 for _ in iter_documents(path))

    def baseline():
        for _line, doc in iter_documents(path):
            ET.fromstring(doc.replace(b"&", b"&amp;"))  # parse only (entities neutralised)

    def reader():
        batch = uspto_xml.read(path)
        assert len(batch.frames["patent"]) == docs

    b, r = best_of(baseline), best_of(reader)
    return {"documents": docs, "baseline_s": round(b, 3), "reader_s": round(r, 3), "ratio": round(r / b, 2),
            "docs_per_s": round(docs / r)}


def bench_ledger(rows: int, tmp: Path) -> dict:
    from ipobs.sources import ledger
    from ipobs.sources.templates import write_template

    import sys

    sys.path.insert(0, str(ROOT))
    from tests.sources.ledger_samples import sample_records

    recs = sample_records("cases", rows)
    path = write_template("cases", tmp / "cases.xlsx", records=recs)

    def baseline():
        pd.read_excel(path, sheet_name=None, header=0, skiprows=[1], engine="openpyxl")

    def reader():
        batch = ledger.read(path)
        assert len(batch.frames["ip_case"]) == rows

    b, r = best_of(baseline, 2), best_of(reader, 2)
    return {"rows": rows, "child_rows": 4 * rows, "baseline_s": round(b, 3), "reader_s": round(r, 3),
            "ratio": round(r / b, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=5)
    ap.add_argument("--rows", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        out = {"uspto_xml": bench_uspto(args.scale, tmp), "ledger": bench_ledger(args.rows, tmp)}
    dest = ROOT / "bench" / "results" / "sources_public.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(out, indent=1))
    u, lg = out["uspto_xml"], out["ledger"]
    print(f"USPTO XML: {u['documents']} grants in {u['reader_s']} s ({u['docs_per_s']}/s); parse-only baseline "
          f"{u['baseline_s']} s; ratio {u['ratio']}")
    print(f"ledger: {lg['rows']} cases + {lg['child_rows']} child rows in {lg['reader_s']} s; pandas.read_excel "
          f"baseline {lg['baseline_s']} s; ratio {lg['ratio']}")


if __name__ == "__main__":
    main()
