"""Japanese search without a dictionary: text is normalised (NFKC, case-folded: ２０２６－０００９ is
2026-0009, ｳｪﾌﾞ is ウェブ) and indexed as character bigrams, so that a word of any length — 清掃,
二文字, a single 図 — is found through an index on PostgreSQL (tsvector + GIN) and SQLite (FTS5)
alike.

Each bigram is stored as ``x`` + the hex of its UTF-8 bytes: a token no parser splits or reads as
a number, on either database. The last character of each word is also stored with an end mark
(``$``), so that a one-character query is a prefix search over the bigrams starting with it.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise", "index_terms", "SearchQuery", "parse_query"]

_SPACE = re.compile(r"\s+")
_END = "$"
#: Words of a query beyond this are ignored (a query is user input).
MAX_WORDS = 8
MAX_QUERY = 200


def normalise(text: str | None) -> str:
    """NFKC and case-folded, runs of white space made one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def _term(chars: str) -> str:
    return "x" + chars.encode("utf-8").hex()


def _bigrams(word: str) -> list[str]:
    return [word[i:i + 2] for i in range(len(word) - 1)] + [word[-1] + _END]


def index_terms(*texts: str | None) -> str:
    """The index entry of a record's texts: its distinct bigram tokens, space-separated."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in normalise(text).split(" "):
            if word:
                for gram in _bigrams(word):
                    seen.setdefault(_term(gram))
    return " ".join(seen)


class SearchQuery:
    """A query: its words (each must appear, as typed after normalising) and the index tokens that
    find the candidates — ``terms`` that must all be present, ``prefixes`` for one-character words."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.terms: list[str] = []
        self.prefixes: list[str] = []
        for word in words:
            if len(word) == 1:
                self.prefixes.append(_term(word))
            else:
                self.terms.extend(_term(word[i:i + 2]) for i in range(len(word) - 1))

    def __bool__(self) -> bool:
        return bool(self.words)

    def tsquery(self) -> str:
        """PostgreSQL's to_tsquery('simple', …) text: every token, a prefix for one-character words."""
        return " & ".join([*dict.fromkeys(self.terms), *(f"{p}:*" for p in dict.fromkeys(self.prefixes))])

    def fts5(self) -> str:
        """SQLite FTS5's MATCH text."""
        return " AND ".join([*dict.fromkeys(self.terms), *(f"{p}*" for p in dict.fromkeys(self.prefixes))])


def parse_query(text: str | None) -> SearchQuery:
    words = [w for w in normalise((text or "")[:MAX_QUERY]).split(" ") if w][:MAX_WORDS]
    return SearchQuery(list(dict.fromkeys(words)))
