"""PDF checks for report tests: text with pdftotext, ink on a page rendered by pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) is missing: run `make sysdeps`")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_ink(path: Path, page: int, tmp: Path) -> float:
    """Share of non-white pixels on a rendered page (pdftoppm → PNG)."""
    from PIL import Image

    prefix = tmp / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), str(path), str(prefix)], check=True)
    png = sorted(tmp.glob(f"page{page}*.png"))[-1]
    img = Image.open(png).convert("L")
    data = img.getdata()
    return sum(1 for v in data if v < 200) / len(data)
