"""The packaged province/city/district table matches the shared NBS files it is generated from."""

from __future__ import annotations

import csv
import io
from importlib import resources

from ipobs.entities import divisions as dv


def test_packaged_divisions_match_shared_source(shared_data, tmp_path):
    out = tmp_path / "d.csv"
    n = dv.build(shared_data / "cn-admin-divisions", out)
    packaged = resources.files("ipobs.entities").joinpath(dv.PACKAGED).read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == packaged, "run `python -m ipobs.entities.divisions` to regenerate"
    assert n == 31 + 342 + 2978


def test_packaged_divisions_cover_every_level():
    text = resources.files("ipobs.entities").joinpath(dv.PACKAGED).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    levels = {r["level"] for r in rows}
    assert levels == {"province", "city", "district"}
    by = {r["code"]: r for r in rows}
    assert by["120116"]["name"] == "滨海新区" and by["120116"]["parent"] == "1201"


def test_short_names():
    assert dv.short_name("河南省") == "河南"
    assert dv.short_name("广西壮族自治区") == "广西"
    assert dv.short_name("延边朝鲜族自治州") == "延边"
    assert dv.short_name("郑州市") == "郑州"
    assert dv.short_name("和平区") == "和平"
