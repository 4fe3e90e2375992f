"""How text becomes searchable terms: one definition, used to index, to query and to highlight.

Chinese is cut into words by rjieba (a private segmenter instance, so the user dictionary
``userdict.txt`` never changes other modules' segmentation). Each text field is indexed twice:

- *coarse* words (``jieba.cut``) with positions, for phrases and the strongest scores;
- *fine* words (``jieba.cut_for_search``: the coarse words plus the dictionary words inside them,
  e.g. 无人机控制系统 → 无人 人机 无人机 控制 系统 控制系统), for recall.

The words are joined by spaces; chunks without a letter or digit are dropped in the same pass
(:func:`clean`, one regular-expression substitution per text, so punctuation takes no position),
and the chunks that hold anything but Chinese characters and digits are lowercased and stemmed
(English Snowball, by tantivy's own filters: ``batteries`` → ``batteri``); tantivy's whitespace
tokenizer then only cuts the text. (Recipe 4 had tantivy's regex tokenizer find the chunks: the
same terms and positions, but the Unicode regex was 60 % of the index build's CPU; recipe 5 had
tantivy lowercase and stem every token, Chinese ones too: a quarter of its indexing thread.)
Every pair field holds overlapping pairs of Chinese characters (:func:`cjk_bigrams`).
English-only fields (``title_en``) use tantivy's simple tokenizer with the lowercase and stemmer
filters. Queries run through the very same functions, so query terms always equal indexed terms.
:func:`fingerprint` changes whenever the dictionary, the synonyms or this recipe change; the index
records it and is rebuilt when it differs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np
import rjieba
import tantivy

# Bump when the recipe below changes (tokenizers, filters, what goes in which field).
RECIPE_VERSION = 6

ZH = "ipobs_zh"  # pre-segmented text (Chinese and mixed)
EN = "ipobs_en"  # English text
NAME = "ipobs_name"  # a whole name, lowercased (exact name match)
CJK = "ipobs_cjk"  # Chinese character pairs (cjk_bigrams): split on spaces, nothing else to do

MAX_TERM_CHARS = 60
# Unicode White_Space; tantivy's whitespace tokenizer splits on the ASCII ones (space, \t \n \f \r)
_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CLEAN = re.compile(
    rf"(?<![^{_WS}])(?:[^{_WS}\w]|_)+(?![^{_WS}])"  # a chunk without a letter or digit
    r"|[\x0b\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"  # a space tantivy would not split on
)
# the usual case, chunks separated by plain spaces only: a chunk is a space and what follows it
_ODD_SPACE = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_CLEAN_PLAIN = re.compile(r" (?:[^\w ]|_)+(?= )")
_HAS_WORD = re.compile(r"\w", re.UNICODE)


def _data(name: str) -> str:
    return resources.files("ipobs.search").joinpath(name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    out = []
    for line in _data(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=1)
def user_words() -> tuple[tuple[str, int | None, str | None], ...]:
    """The user dictionary: (word, frequency or None, part-of-speech tag or None)."""
    words = []
    for line in _lines("userdict.txt"):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        words.append((parts[0], freq, tag))
    return tuple(words)


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of equivalent terms from ``synonyms.txt``, each variant as written."""
    return tuple(tuple(v.strip() for v in line.split("|") if v.strip()) for line in _lines("synonyms.txt"))


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in synonym_groups():
        for variant in group:
            index[normalize(variant).lower()] = group
    return index


def synonyms(word: str) -> tuple[str, ...]:
    """The group a word belongs to (the word alone when it has no synonyms)."""
    return _synonym_index().get(normalize(word).lower(), (word,))


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Identifies the analysis: recipe version, user dictionary and synonyms."""
    h = hashlib.sha256(f"recipe {RECIPE_VERSION}\n".encode())
    h.update(_data("userdict.txt").encode())
    h.update(_data("synonyms.txt").encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def segmenter() -> rjieba.Jieba:
    """A jieba segmenter of our own with the user dictionary loaded."""
    seg = rjieba.Jieba()
    for word, freq, tag in user_words():
        seg.add_word(word, freq, tag)
    return seg


def _builder(tokenizer) -> tantivy.TextAnalyzerBuilder:
    return (
        tantivy.TextAnalyzerBuilder(tokenizer)
        .filter(tantivy.Filter.remove_long(MAX_TERM_CHARS))
        .filter(tantivy.Filter.lowercase())
    )


@lru_cache(maxsize=1)
def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    return {
        # ZH text comes lowercased and stemmed from clean() (see _fold): tantivy only cuts it
        ZH: tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.remove_long(MAX_TERM_CHARS)).build(),
        EN: _builder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.stemmer("english")).build(),
        NAME: tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(tantivy.Filter.lowercase()).build(),
        # pairs of Chinese characters have no case, no English suffix and two characters: the ZH
        # filters would leave them as they are (tested), so the pair fields skip them
        CJK: tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build(),
    }


def register(index: tantivy.Index) -> None:
    """Register our analyzers on an opened index (tantivy does not persist custom ones)."""
    for name, analyzer in analyzers().items():
        index.register_tokenizer(name, analyzer)


def normalize(text: str) -> str:
    """NFKC: full-width letters and digits become half-width (ＬＥＤ５Ｇ → LED5G)."""
    return unicodedata.normalize("NFKC", text)


def clean(text: str) -> str:
    """Space-separated chunks as the ZH analyzer takes them: chunks without a letter or digit
    become spaces (they take no position), other Unicode spaces become ASCII spaces, and the
    chunks that have a case or an English ending are lowercased and stemmed (:func:`_fold`)."""
    if _ODD_SPACE.search(text):
        return _fold(_CLEAN.sub(" ", text))
    return _fold(_CLEAN_PLAIN.sub(" ", f" {text} ")[1:-1])


# Lowercasing and English stemming of the ZH fields, done here on the few chunks that can change
# rather than by tantivy's filters on every token: those copy each token, Chinese ones too, and
# took a quarter of the indexing thread's CPU. A chunk of Chinese characters and ASCII digits
# only is left as it is (neither filter changes it: property-tested); the others go through
# tantivy's own filters (_folder), so the terms are those the filters made.
_KEPT = r"0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TANTIVY_SPACE = r" \t\n\x0c\r"  # what tantivy's whitespace tokenizer cuts on
_FOLDABLE_CHAR = re.compile(rf"[^{_TANTIVY_SPACE}{_KEPT}]")
_FOLDABLE = re.compile(rf"(?<![^{_TANTIVY_SPACE}])[{_KEPT}]*[^{_TANTIVY_SPACE}{_KEPT}][^{_TANTIVY_SPACE}]*")


def _fold(text: str) -> str:
    if not _FOLDABLE_CHAR.search(text):
        return text
    return _FOLDABLE.sub(_fold_chunk, text)


def _fold_chunk(m: re.Match) -> str:
    return _folded(m.group())


@lru_cache(maxsize=65536)
def _folded(chunk: str) -> str:
    """A chunk lowercased and stemmed. One of MAX_TERM_CHARS bytes or more is left for the ZH
    analyzer to drop, as tantivy dropped it before lowercasing; one that stems to nothing is
    kept as it is (the filters made an empty term of it)."""
    if len(chunk.encode()) >= MAX_TERM_CHARS:
        return chunk
    out = _folder().analyze(chunk)
    return out[0] if out and out[0] else chunk


@lru_cache(maxsize=1)
def _folder() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english")).build())


def coarse(text: str, normalized: bool = False) -> str:
    """Coarse words of a text, space-separated (what the positional fields index)."""
    return clean(" ".join(segmenter().cut(text if normalized else normalize(text))))


def fine(text: str, normalized: bool = False) -> str:
    """Fine words of a text, space-separated (what the recall fields index)."""
    return clean(" ".join(segmenter().cut_for_search(text if normalized else normalize(text))))


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_bigrams(text: str) -> str:
    """Overlapping character pairs of every Chinese run, space-separated: 动力电池 → 动力 力电 电池.

    Indexed with positions, a phrase of pairs finds a Chinese string exactly wherever it occurs,
    however jieba cut the text around it (substring search, as CNIPA's quoted search does).
    """
    out = []
    for run in _CJK_RUN.findall(text):
        out.append(" ".join(map("".join, zip(run, run[1:]))) if len(run) > 1 else run)
    return " ".join(out)


_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # those of _CJK_RUN
_SEP = "\x00"


def cjk_bigrams_many(texts: list[str]) -> list[str]:
    """:func:`cjk_bigrams` of many texts at once, with numpy over their characters (a build makes
    the pairs of a thousand texts in one go: about 3 µs a text instead of 25)."""
    joined = _SEP.join(texts)
    if not joined or joined.count(_SEP) != len(texts) - 1:  # a text holds the separator
        return [cjk_bigrams(t) for t in texts]
    try:
        a = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return [cjk_bigrams(t) for t in texts]
    cjk = np.zeros(len(a) + 2, dtype=bool)  # padded: cjk[i + 1] is character i
    for lo, hi in _CJK_RANGES:
        cjk[1:-1] |= (a >= lo) & (a <= hi)
    this, after, before = cjk[1:-1], cjk[2:], cjk[:-2]
    pair = this & after  # a pair starts here
    single = this & ~after & ~before  # a run of one character
    at = np.flatnonzero(pair | single | (a == 0))  # each token, and each separator, in order
    two = pair[at]
    width = np.where(two, 3, 2)  # its characters and a space
    start = np.cumsum(width) - width
    out = np.full(int(width.sum()), 32, dtype=np.uint32)
    out[start] = a[at]
    out[start[two] + 1] = a[at[two] + 1]
    return [piece.strip(" ") for piece in out.tobytes().decode("utf-32-le").split(_SEP)]


@lru_cache(maxsize=65536)
def is_cjk(text: str) -> bool:
    """True when every letter or digit of ``text`` is a Chinese character."""
    word = "".join(c for c in normalize(text) if c.isalnum())
    return bool(word) and bool(_CJK_RUN.fullmatch(word))


def analyze(analyzer: str, text: str) -> list[str]:
    """Terms of already-segmented (or English) text through one of our analyzers."""
    return analyzers()[analyzer].analyze(clean(text) if analyzer == ZH else text)


def terms(text: str, analyzer: str = ZH) -> list[str]:
    """The terms a query word produces for fields of ``analyzer``, in order."""
    return list(_terms(text, analyzer))


@lru_cache(maxsize=65536)
def _terms(text: str, analyzer: str) -> tuple[str, ...]:
    """Memo of :func:`terms` (a query compiles the same word for several fields and synonyms)."""
    if analyzer == ZH:
        return tuple(analyze(ZH, coarse(text)))
    if analyzer == NAME:
        return tuple(analyze(NAME, normalize(text).strip()))
    return tuple(analyze(EN, normalize(text)))


def fine_terms(text: str) -> list[str]:
    """The fine (search-mode) terms of a query word."""
    return list(_fine_terms(text))


@lru_cache(maxsize=65536)
def _fine_terms(text: str) -> tuple[str, ...]:
    return tuple(analyze(ZH, fine(text)))


def has_word(text: str) -> bool:
    """True when the text holds at least one letter or digit (something to search for)."""
    return bool(_HAS_WORD.search(text))


@lru_cache(maxsize=65536)
def term_of(word: str) -> str | None:
    """The ZH term of one jieba word (lowercased, English stemmed), None for punctuation."""
    if not has_word(word):
        return None
    out = analyze(ZH, word.replace(" ", ""))
    return out[0] if out else None


def _back_map(text: str) -> tuple[str, list[int] | None]:
    """NFKC text and, when NFKC changed its length, a map from its characters back to ``text``."""
    norm = normalize(text)
    if len(norm) == len(text):
        return norm, None
    chars = [normalize(c) for c in text]
    back = [i for i, c in enumerate(chars) for _ in c]
    back.append(len(text))
    return "".join(chars), back


# characters jieba never puts in a word (outside its run of Chinese, letters, digits and +#&._%-):
# jieba cuts the text between them independently, so a piece between them is cut as in the whole
_PIECE = re.compile(r"[^\s,;:!?()\[\]<>\"'、。，；：！？（）【】《》“”‘’]+")


def spans(text: str, needles: set[str] | None = None, mapped=None, only: set[str] | None = None
          ) -> list[tuple[int, int, str]]:
    """(start, end, term) of every coarse and fine word of ``text``, offsets in ``text``.

    Used to highlight: a span is marked when its term is one the query searched for. Offsets
    are those of the original text even where NFKC changed a character. With ``needles``
    (Chinese-only terms, see :func:`all_chinese`) only the pieces of text between punctuation
    that hold one of them are cut: a word whose term is a needle contains it, and jieba cuts each
    piece as it cuts the whole text, so every span whose term is a needle is still there.
    ``mapped`` is ``_back_map(text)`` when the caller has it. With ``only``, just the spans whose
    term is in it (the same as filtering the whole list afterwards).
    """
    norm, back = mapped or _back_map(text)
    if needles is None:
        pieces = [(0, norm)]
    else:
        pieces = [(m.start(), m.group()) for m in _PIECE.finditer(norm) if any(n in m.group() for n in needles)]
    out = []
    tokenize = segmenter().tokenize
    for off, piece in pieces:
        for w, s, e in tokenize(piece, "search"):
            t = term_of(w)
            if t is not None and (only is None or t in only):
                s, e = s + off, e + off
                out.append((s, e, t) if back is None else (back[s], back[e], t))
    return out


def all_chinese(words) -> bool:
    """True when every string is made of Chinese characters only (no case, no stemming)."""
    return all(_CJK_RUN.fullmatch(w) for w in words)


def en_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of the English analyzer's terms in ``text`` (for ``title_en``)."""
    chars = [normalize(c) for c in text]
    back = [i for i, c in enumerate(chars) for _ in c]
    back.append(len(text))
    out = []
    for tok in analyzers()[EN].pre_tokenize("".join(chars)).tokens:
        out.append((back[tok.char_offset_from], back[min(tok.char_offset_to, len(back) - 1)], tok.text))
    return out
