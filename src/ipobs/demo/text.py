"""Titles and abstracts in Chinese from each topic's vocabulary (vocab.yaml), vectorized.

Every patent of a topic shares its field, techniques, objects and effects, and every
title and abstract is a different combination of them, so full-text search, similarity
and clustering find real structure (a battery patent reads like one).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ipobs.demo.config import vocab
from ipobs.demo.patents import DESIGN, INVENTION, UTILITY, Topics
from ipobs.demo.strings import cat, pick, where

UTILITY_ADJ = ["", "", "一种新型", "一种便携式", "一种可调节的", "一种模块化", "一种智能", "一种多功能", "一种高效",
               "一种防护型", "一种自动化"]
RELATIONS = ["固定连接于", "转动连接于", "可拆卸连接于", "滑动连接于", "电性连接于", "套设于"]
POSITIONS = ["顶部", "底部", "一侧", "内部", "外侧", "端部"]
IMPROVE = ["提高了", "显著提升了", "有效改善了", "大幅提高了"]
TAILS = ["具有良好的应用前景。", "适用于大规模推广应用。", "降低了实施成本。", "满足实际工程需求。", "便于维护和使用。"]
METHOD_VERB = ["采用", "利用", "结合", "引入"]


class TopicVocab:
    """Flattened word lists: for attribute a, word j of topic t is ``words[a][offset[a][t] + j]``."""

    ATTRS = ("tech", "methods", "devices", "parts", "steps", "effects", "en")

    def __init__(self, tp: Topics):
        self.words: dict[str, pa.Array] = {}
        self.offset: dict[str, np.ndarray] = {}
        self.count: dict[str, np.ndarray] = {}
        for a in self.ATTRS:
            flat, off, cnt = [], [], []
            for t in tp.data:
                off.append(len(flat))
                cnt.append(len(t[a]))
                flat += t[a]
            self.words[a] = pa.array(flat)
            self.offset[a] = np.array(off)
            self.count[a] = np.array(cnt)
        self.field = pa.array([t["field"] for t in tp.data])

    def draw(self, rng, attr: str, topic: np.ndarray, avoid: np.ndarray | None = None) -> tuple[pa.Array, np.ndarray]:
        """A word of ``attr`` per row from its topic (different from index ``avoid`` when given)."""
        cnt = self.count[attr][topic]
        j = np.floor(rng.random(len(topic)) * cnt).astype(np.int64)
        if avoid is not None:
            j = np.where(j == avoid, (j + 1) % cnt, j)
        return self.words[attr].take(pa.array(self.offset[attr][topic] + j)), j


def titles_and_abstracts(rng, tv: TopicVocab, kind: np.ndarray, topic: np.ndarray,
                         design_title: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(title, abstract, English title) per patent; each kind's text is built for its rows only."""
    parts, order = [], []
    for k, make in ((INVENTION, _invention), (UTILITY, _utility), (DESIGN, _design)):
        rows = np.flatnonzero(kind == k)
        if len(rows):
            parts.append(make(rng, tv, topic[rows], design_title.take(pa.array(rows))))
            order.append(rows)
    back = pa.array(np.argsort(np.concatenate(order), kind="stable"))
    return tuple(pa.concat_arrays([p[i] for p in parts]).take(back) for i in range(3))


def _words(rng, tv: TopicVocab, topic: np.ndarray) -> dict[str, pa.Array]:
    w = {}
    w["tech"], _ = tv.draw(rng, "tech", topic)
    w["method"], _ = tv.draw(rng, "methods", topic)
    w["device"], _ = tv.draw(rng, "devices", topic)
    w["p1"], j1 = tv.draw(rng, "parts", topic)
    w["p2"], j2 = tv.draw(rng, "parts", topic, avoid=j1)
    w["p3"], _ = tv.draw(rng, "parts", topic, avoid=j2)
    w["e1"], m1 = tv.draw(rng, "effects", topic)
    w["e2"], _ = tv.draw(rng, "effects", topic, avoid=m1)
    w["en_a"], _ = tv.draw(rng, "en", topic)
    w["en_b"], _ = tv.draw(rng, "en", topic)
    w["field"] = tv.field.take(pa.array(topic.astype(np.int64)))
    return w


def _any(rng, words: list[str], n: int) -> pa.Array:
    return pick(words, rng.integers(0, len(words), n))


def _structure(rng, w: dict, n: int) -> pa.Array:
    return cat("包括", w["p1"], "、", w["p2"], "和", w["p3"], "，所述", w["p2"], _any(rng, RELATIONS, n), w["p1"],
               "，所述", w["p3"], "设置于", w["p1"], "的", _any(rng, POSITIONS, n))


def _invention(rng, tv, topic, _design_title):
    """Method titles mostly, some apparatus; abstracts list three steps or the structure."""
    n = len(topic)
    w = _words(rng, tv, topic)
    s1, k1 = tv.draw(rng, "steps", topic)
    s2, k2 = tv.draw(rng, "steps", topic, avoid=k1)
    s3, _ = tv.draw(rng, "steps", topic, avoid=k2)
    form = rng.integers(0, 6, n)
    core = _choose(form, [
        cat("基于", w["tech"], "的", w["method"], "方法"),
        cat(w["method"], "方法及系统"),
        cat(w["method"], "方法、装置、电子设备及存储介质"),
        cat("基于", w["tech"], "的", w["method"], "系统"),
        w["device"],
        cat(w["method"], "方法"),
    ])
    title = where(form == 2, core, cat("一种", core))
    method = cat("本发明公开了", title, "，涉及", w["field"], "技术领域。该方法包括：", s1, "；", s2, "；", s3, "。本发明",
                 _any(rng, METHOD_VERB, n), w["tech"], "，", _any(rng, IMPROVE, n), w["e1"], "和", w["e2"], "，",
                 _any(rng, TAILS, n))
    device = cat("本发明公开了一种", w["device"], "，涉及", w["field"], "技术领域，", _structure(rng, w, n), "。本发明",
                 w["tech"], "与结构设计相结合，", _any(rng, IMPROVE, n), w["e1"], "，", _any(rng, TAILS, n))
    abstract = where(form == 4, device, method)
    en = cat(_capital(w["en_a"]), " method and system based on ", w["en_b"])
    return title, abstract, en


def _utility(rng, tv, topic, _design_title):
    """Devices only: '一种便携式充电枪'; the abstract lists parts and how they connect."""
    n = len(topic)
    w = _words(rng, tv, topic)
    adj = _any(rng, UTILITY_ADJ, n)
    form = rng.integers(0, 3, n)
    title = _choose(form, [
        cat(where(_eq(adj, ""), "一种", adj), w["device"]),
        cat("一种用于", w["method"], "的", w["device"]),
        cat("一种", w["device"], "的", w["p1"], "结构"),
    ])
    abstract = cat("本实用新型公开了", title, "，", _structure(rng, w, n), "。本实用新型结构简单，", _any(rng, IMPROVE, n),
                   w["e1"], "，", _any(rng, TAILS, n))
    return title, abstract, cat(_capital(w["en_a"]), " device")


def _design(rng, tv, topic, design_title):
    """A product and its design points, as CNIPA's brief descriptions of designs read."""
    n = len(topic)
    d = vocab()
    en, _ = tv.draw(rng, "en", topic)
    abstract = cat("1．本外观设计产品的名称：", design_title, "。2．本外观设计产品的用途：本外观设计产品",
                   _any(rng, d["design_uses"], n), "。3．本外观设计产品的设计要点：在于", _any(rng, d["design_points"], n),
                   "。4．最能表明设计要点的图片或照片：立体图。")
    return design_title, abstract, cat("Design of ", en, " product")


def _eq(a: pa.Array, s: str) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.equal(a, s).to_numpy(zero_copy_only=False), dtype=bool)


def _capital(a: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    return pc.utf8_capitalize(a)


def _choose(which: np.ndarray, options: list[pa.Array]) -> pa.Array:
    """Row i from ``options[which[i]]``."""
    import pyarrow.compute as pc

    out = options[0]
    for k in range(1, len(options)):
        out = pc.if_else(pa.array(np.asarray(which) == k), options[k], out)
    return out


__all__ = ["TopicVocab", "titles_and_abstracts", "INVENTION", "UTILITY", "DESIGN"]
