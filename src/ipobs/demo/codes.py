"""Official number formats with their check characters, vectorized.

- CNIPA application numbers: 12 digits + a check digit, weights 2,3,4,5,6,7,8,9,2,3,4,5 over the
  digits, sum mod 11, 10 written as X (``201910012345.6``).
- Unified social credit codes (GB 32100-2015): 17 characters + a check character over the
  31-character set, with the organization code's own check digit (GB 11714) inside.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ipobs.demo.strings import cat, digits, pick

_APP_WEIGHTS = np.array([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def _digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (v[:, None] // powers[None, :]) % 10


def application_check(numbers12: np.ndarray) -> np.ndarray:
    """Check characters ('0'..'9', 'X') of 12-digit CN application numbers."""
    d = _digit_matrix(numbers12, 12)
    r = (d * _APP_WEIGHTS).sum(axis=1) % 11
    return np.where(r == 10, "X", r.astype(str))


def application_numbers(numbers12: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """(patent_id ``CN201910012345``, application_no ``201910012345.6``)."""
    body = digits(numbers12, 12)
    check = pa.array(application_check(numbers12))
    return cat("CN", body), cat(body, ".", check)


def uscc(rng: np.random.Generator, region6: np.ndarray, authority: np.ndarray) -> pa.Array:
    """Plausible unified social credit codes for entities in 6-digit regions.

    ``authority`` is the two leading characters per row ('91' enterprise, '12' public
    institution such as a university).
    """
    n = len(region6)
    org = rng.integers(0, 10, size=(n, 8))
    org_check = (11 - (org * _ORG_WEIGHTS).sum(axis=1) % 11) % 11  # 10 → 'X' in GB 11714
    auth = np.stack([_char_values(authority, 0), _char_values(authority, 1)], axis=1)
    reg = _digit_matrix(np.asarray(region6, dtype=np.int64), 6)
    org_vals = np.concatenate([org, np.where(org_check == 10, USCC_CHARS.index("X"), org_check)[:, None]], axis=1)
    body = np.concatenate([auth, reg, org_vals], axis=1)
    check = (31 - (body * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    full = np.concatenate([body, check[:, None]], axis=1)
    chars = np.array(list(USCC_CHARS))
    if n == 0:
        return pa.array([], type=pa.string())
    return cat(*[pa.array(chars[full[:, i]]) for i in range(full.shape[1])])


def _char_values(codes: np.ndarray, pos: int) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(USCC_CHARS)}
    uniq, inv = np.unique(np.asarray(codes, dtype=str), return_inverse=True)
    return np.array([lookup[u[pos]] for u in uniq], dtype=np.int64)[inv]


def valid_uscc(code: str) -> bool:
    """Whether a unified social credit code's check character is right."""
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    vals = [USCC_CHARS.index(c) for c in code]
    return (31 - sum(v * w for v, w in zip(vals[:17], _USCC_WEIGHTS)) % 31) % 31 == vals[17]


def valid_application_no(text: str) -> bool:
    """Whether ``201910012345.6`` has the right check digit."""
    body, _, check = text.partition(".")
    if len(body) != 12 or not body.isdigit():
        return False
    return application_check(np.array([int(body)]))[0] == check


def chinese_numeral(n: np.ndarray) -> pa.Array:
    """1..99 as Chinese numerals (三, 十三, 二十一) for street names like 第三大街."""
    small = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
    table = []
    for k in range(100):
        tens, ones = divmod(k, 10)
        if k < 10:
            table.append(small[k])
        elif tens == 1:
            table.append("十" + small[ones])
        else:
            table.append(small[tens] + "十" + small[ones])
    return pick(table, n)
