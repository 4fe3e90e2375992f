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


def titles_and_abstracts(rng, tv: TopicVocab, kind: np.ndarray, topic: np.ndarray, design_product: pa.Array,
                         design_title: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(title, abstract, English title or null) per patent."""
    n = len(kind)
    tech, _ = tv.draw(rng, "tech", topic)
    method, _ = tv.draw(rng, "methods", topic)
    device, _ = tv.draw(rng, "devices", topic)
    p1, j1 = tv.draw(rng, "parts", topic)
    p2, j2 = tv.draw(rng, "parts", topic, avoid=j1)
    p3, _ = tv.draw(rng, "parts", topic, avoid=j2)
    s1, k1 = tv.draw(rng, "steps", topic)
    s2, k2 = tv.draw(rng, "steps", topic, avoid=k1)
    s3, _ = tv.draw(rng, "steps", topic, avoid=k2)
    e1, m1 = tv.draw(rng, "effects", topic)
    e2, _ = tv.draw(rng, "effects", topic, avoid=m1)
    field = tv.field.take(pa.array(topic.astype(np.int64)))

    # -- inventions: method titles mostly, some apparatus
    form = rng.integers(0, 6, n)
    inv_core = _choose(form, [
        cat("基于", tech, "的", method, "方法"),
        cat(method, "方法及系统"),
        cat(method, "方法、装置、电子设备及存储介质"),
        cat("基于", tech, "的", method, "系统"),
        cat(device),
        cat(method, "方法"),
    ])
    inv_title = where(form == 2, inv_core, cat("一种", inv_core))
    is_device = form == 4
    inv_abs_method = cat(
        "本发明公开了", inv_title, "，涉及", field, "技术领域。该方法包括：", s1, "；", s2, "；", s3, "。本发明",
        pick(METHOD_VERB, rng.integers(0, len(METHOD_VERB), n)), tech, "，", pick(IMPROVE, rng.integers(0, len(IMPROVE), n)),
        e1, "和", e2, "，", pick(TAILS, rng.integers(0, len(TAILS), n)))
    relation = pick(RELATIONS, rng.integers(0, len(RELATIONS), n))
    position = pick(POSITIONS, rng.integers(0, len(POSITIONS), n))
    structure = cat("包括", p1, "、", p2, "和", p3, "，所述", p2, relation, p1, "，所述", p3, "设置于", p1, "的", position)
    inv_abs_device = cat("本发明公开了一种", device, "，涉及", field, "技术领域，", structure, "。本发明", tech, "与结构设计相结合，",
                         pick(IMPROVE, rng.integers(0, len(IMPROVE), n)), e1, "，", pick(TAILS, rng.integers(0, len(TAILS), n)))
    inv_abs = where(is_device, inv_abs_device, inv_abs_method)

    # -- utility models: devices only
    adj = pick(UTILITY_ADJ, rng.integers(0, len(UTILITY_ADJ), n))
    u_form = rng.integers(0, 3, n)
    util_title = _choose(u_form, [
        cat(where(_eq(adj, ""), "一种", adj), device),
        cat("一种用于", method, "的", device),
        cat("一种", device, "的", p1, "结构"),
    ])
    util_abs = cat("本实用新型公开了", util_title, "，", structure, "。本实用新型结构简单，",
                   pick(IMPROVE, rng.integers(0, len(IMPROVE), n)), e1, "，", pick(TAILS, rng.integers(0, len(TAILS), n)))

    # -- designs: a product and its design points (as CNIPA's brief descriptions read)
    d = vocab()
    uses = d["design_uses"]
    points = d["design_points"]
    des_abs = cat("1．本外观设计产品的名称：", design_title, "。2．本外观设计产品的用途：本外观设计产品",
                  pick(uses, rng.integers(0, len(uses), n)), "。3．本外观设计产品的设计要点：在于",
                  pick(points, rng.integers(0, len(points), n)), "。4．最能表明设计要点的图片或照片：立体图。")

    title = _choose(kind, [inv_title, util_title, design_title])
    abstract = _choose(kind, [inv_abs, util_abs, des_abs])
    en_a, _ = tv.draw(rng, "en", topic)
    en_b, _ = tv.draw(rng, "en", topic)
    en = _choose(kind, [cat(_capital(en_a), " method and system based on ", en_b),
                        cat(_capital(en_a), " device"),
                        cat("Design of ", en_a, " product")])
    return title, abstract, en


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
