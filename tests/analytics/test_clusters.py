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
