"""Cluster internals: tokens and the clause-built TF-IDF matrix equal scikit-learn's own."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ipobs.analytics.clusters import STOPWORDS, ClauseTokens, _identity, default_k, tokenize

TEXTS = ["一种锂离子电池正极材料，包括镍钴锰前驱体。", "一种锂离子电池隔膜及其制备方法，涉及电池。",
         "一种机器人控制方法，用于机械臂轨迹规划。", "Deep learning model for battery management，机器人 电池"] * 4


def test_tokenize_drops_boilerplate_and_short_words():
    words = tokenize("本发明公开了一种锂离子电池及其制备方法")
    assert "锂离子" in words and "电池" in words
    assert not set(words) & STOPWORDS


def test_clause_tfidf_equals_vectorizer_transform():
    ct = ClauseTokens()
    vec = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
    vec.fit([ct.tokens(t) for t in TEXTS])
    expected = vec.transform([ct.tokens(t) for t in TEXTS]).toarray()
    assert np.allclose(ct.tfidf(TEXTS, vec).toarray(), expected)


def test_default_k_bounds():
    assert default_k(20) == 2 and default_k(1_000_000) == 10


def test_sql_clauses_split_like_python():
    import re

    import duckdb
    import pandas as pd

    from ipobs.analytics.clusters import _CLAUSE, sql_clauses

    spaces = "".join(chr(c) for c in range(0x3001) if re.match(r"\s", chr(c)))
    texts = ["一种A，B。C" + spaces + "D", "", None, "，，开头", "x\u3000y\u00a0z\x0bw", "abc;def:ghi!jk?l", "é ü", "结尾。",
             "电池，电池，电池"]
    con = duckdb.connect()
    con.register("t", pd.DataFrame({"i": range(len(texts)), "text": texts}))
    m, clauses = sql_clauses(con, "t")
    assert clauses == sorted(clauses)
    for r, text in enumerate(texts):
        expected = sorted(c for c in _CLAUSE.split(text or "") if c)
        got = sorted(clauses[k] for k, n in zip(m[r].indices, m[r].data) for _ in range(int(n)))
        assert got == expected, text


def test_clause_matrix_equals_vectorizer_transform_bit_for_bit():
    import duckdb
    import pandas as pd

    from ipobs.analytics.clusters import sql_clauses

    ct = ClauseTokens()
    vec = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
    vec.fit([ct.tokens(t) for t in TEXTS])
    expected = vec.transform([ct.tokens(t) for t in TEXTS])
    con = duckdb.connect()
    con.register("t", pd.DataFrame({"i": range(len(TEXTS)), "text": TEXTS}))
    m, clauses = sql_clauses(con, "t")
    got = ct.matrix(m, clauses, vec)
    assert (got != expected).nnz == 0
    fit_tokens = ct.doc_tokens(m, clauses, range(len(TEXTS)))
    assert [sorted(t) for t in fit_tokens] == [sorted(ct.tokens(t)) for t in TEXTS]
