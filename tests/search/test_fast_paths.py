"""The build's and the query's fast paths give what the slower, obvious code gives."""

from __future__ import annotations

import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.search import analysis as A

# recipe 4's analyzer: tantivy's regex tokenizer keeps every space-separated chunk holding a letter or digit
_OLD = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\S*[\p{L}\p{N}]\S*"))
        .filter(tantivy.Filter.remove_long(A.MAX_TERM_CHARS)).filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english")).build())
_OLD_TOKENS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\S*[\p{L}\p{N}]\S*")).build()
_NEW_TOKENS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()

_CHARS = list("电池锂离子无人机控制abcXYZ019_-.,，。；、（）!?#&%+ \t\n\x0b\x0c\r\x85\xa0\u3000\u2003\u202f"
              "\x1c\u0301ＡＢ１½Ⅷ〇")
texts = st.lists(st.sampled_from(_CHARS), max_size=40).map("".join)


def _positions(analyzer, text):
    return [(t.text, t.position) for t in analyzer.pre_tokenize(text).tokens]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_clean_then_whitespace_equals_the_regex_tokenizer(text):
    assert _positions(_NEW_TOKENS, A.clean(text)) == _positions(_OLD_TOKENS, text)
    assert A.analyze(A.ZH, text) == _OLD.analyze(text)


def test_clean_on_segmented_text():
    for text in ["本发明涉及锂电池，公开了一种无人机控制系统。", "LED（发光二极管）_ 5G；  深度 学习!!", ""]:
        seg = " ".join(A.segmenter().cut(A.normalize(text)))
        assert A.analyze(A.ZH, A.coarse(text)) == _OLD.analyze(seg)
        fine = " ".join(A.segmenter().cut_for_search(A.normalize(text)))
        assert A.analyze(A.ZH, A.fine(text)) == _OLD.analyze(fine)
