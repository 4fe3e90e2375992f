"""Table column widths the PDF uses (``table-layout: fixed``): short columns keep their text on one line,
long text columns share the rest; the SVG charts go to the PDF as data-URI images."""

from __future__ import annotations

import base64

from ipobs.reports.model import Block, Column, _display_len
from ipobs.reports.render import svg_img


def _block(rows):
    cols = [Column("name", "目标", "text"), Column("rule", "规则", "text"), Column("value", "现值", "int"),
            Column("share", "占比", "pct")]
    return Block("table", columns=cols, rows=rows)


def test_widths_add_up_and_short_columns_fit_their_text():
    rows = [{"name": "有效专利拥有量突破8.5万件" * 2, "rule": "到2022年末有效专利量≥85,000件，并且每年增长" * 3,
             "value": 771838, "share": 0.9726}]
    w = _block(rows).col_widths("zh", budget=127)
    assert abs(sum(w) - 100) < 0.1
    units = [x * 127 / 100 for x in w]
    assert units[2] >= _display_len("771,838") + 3 - 0.05 and units[3] >= _display_len("97.3%") + 3 - 0.05
    assert units[1] > units[0] > units[2]  # the longest text gets the most room


def test_widths_when_everything_fits_follow_the_text():
    w = _block([{"name": "甲", "rule": "乙", "value": 1, "share": 0.5}]).col_widths("en")
    assert abs(sum(w) - 100) < 0.1 and len(w) == 4


def test_widths_of_an_empty_table():
    assert Block("table").col_widths("zh") == []
    assert len(_block([]).col_widths("zh")) == 4


def test_svg_goes_to_pdf_as_data_uri_image():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="200" viewBox="0 0 640 200"><text>年</text></svg>'
    img = str(svg_img(svg))
    assert img.startswith("<img ") and 'width="640"' in img and 'height="200"' in img
    data = img.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(data).decode("utf-8") == svg
