"""Derive ``sei_ipc.csv`` from CNIPA's 2021 SEI↔IPC concordance as shared in ../shared/data.

    python -m ipobs.indicators.data.make_sei_ipc /work/shared/data/cn-sei-ipc-2021 [OUT.csv]

The shared file maps 34,396 IPC codes (mostly subgroups expanded from the official table's
group-level entries) to 318 rules of 40 SEI categories. The derived list is compact:

- a bare class or subclass in the source (``C08``, ``A01B``) stays a class / subclass key;
- a main group whose ``X/00`` entry is listed becomes one main-group key ``X`` (the whole
  group, following the shared SOURCE.md advice to fall back to ``X/00``);
- any other listed subgroup stays an exact key.

Each key keeps the SEI category codes (``1.1|4.1``) of every source row it stands for.
Known gaps of the source, carried into the list: no H01L or H10 codes at all (semiconductor
devices), keyword conditions of the official table are not applied (IPC only).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

HEADER = ("key", "level", "sei_codes")


def derive(source_dir: Path) -> list[tuple[str, str, str]]:
    rules = {}
    for line in (source_dir / "sei.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rules[r["id"]] = r["seiCode"]
    codes: dict[str, set[str]] = defaultdict(set)
    for line in (source_dir / "ipc-sei.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        codes[r["ipcCode"]].add(rules[r["seiId"]])
    whole_groups = {c.split("/")[0] for c in codes if c.endswith("/00")}
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, sei in codes.items():
        if "/" not in code:
            level = "class" if len(code) == 3 else "subclass"
            keys[(code, level)] |= sei
            continue
        group = code.split("/")[0]
        if group in whole_groups:
            keys[(group, "main_group")] |= sei
        else:
            keys[(code, "subgroup")] |= sei

    def covered(key: str, level: str) -> bool:  # a subgroup inside a listed subclass or class is redundant
        if level in ("main_group", "subgroup"):
            return (key[:4], "subclass") in keys or (key[:3], "class") in keys
        return level == "subclass" and (key[:3], "class") in keys

    out = [(k, lv, "|".join(sorted(s))) for (k, lv), s in keys.items() if not covered(k, lv)]
    return sorted(out)


def render(rows: list[tuple[str, str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    src = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("sei_ipc.csv")
    rows = derive(src)
    out.write_text(render(rows), encoding="utf-8")
    print(f"{out}: {len(rows)} keys")


if __name__ == "__main__":
    main(sys.argv[1:])
