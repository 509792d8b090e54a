"""Search keys for organization names: pinyin, initials and CJK n-grams.

Computed once at write time. Pinyin comes from pypinyin's phrase-aware conversion; the name is
cut by pypinyin's own segmenter and each segment's reading is cached, which gives the same
result as converting the whole name at a tenth of the cost (bulk imports convert millions).
On PostgreSQL the n-grams feed a GIN full-text index, since trigram indexes cannot serve the
one- and two-character fragments people type in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.seg.mmseg import seg

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=200_000)
def _segment_readings(segment: str) -> tuple[str, str]:
    syllables = lazy_pinyin(segment, style=Style.NORMAL, errors="ignore")
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return full, initials


@dataclass(frozen=True)
class NameKeys:
    pinyin: str
    initials: str
    tokens: str


def name_keys(name: str) -> NameKeys:
    full: list[str] = []
    initials: list[str] = []
    for segment in seg.cut(name):
        if _CJK.search(segment):
            f, i = _segment_readings(segment)
        else:
            words = _ASCII_WORD.findall(segment.lower())
            f = "".join(words)
            i = "".join(w[0] for w in words)
        full.append(f)
        initials.append(i)
    return NameKeys(
        pinyin="".join(full)[:400],
        initials="".join(initials)[:100],
        tokens=" ".join(cjk_ngrams(name)),
    )


def cjk_ngrams(text: str) -> list[str]:
    """Distinct CJK characters and adjacent-character bigrams, in first-seen order."""
    chars = [c if _CJK.match(c) else " " for c in text]
    grams: dict[str, None] = {}
    for i, c in enumerate(chars):
        if c == " ":
            continue
        grams[c] = None
        if i + 1 < len(chars) and chars[i + 1] != " ":
            grams[c + chars[i + 1]] = None
    return list(grams)


def query_ngrams(fragment: str) -> list[str]:
    """The n-grams that any name containing `fragment` must have (bigrams, or the one char)."""
    cjk = [c for c in fragment if _CJK.match(c)]
    if len(cjk) == 1:
        return cjk
    grams = cjk_ngrams(fragment)
    return [g for g in grams if len(g) == 2] or grams


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
