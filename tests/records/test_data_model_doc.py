from pathlib import Path

from ipobs.records.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"


def test_data_model_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/data-model.md is stale: run `python -m ipobs.records.docs > docs/data-model.md`"
    )
