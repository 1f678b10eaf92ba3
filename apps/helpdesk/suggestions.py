"""Guidance articles that may answer a question as the MSME types it.

The guidance search wants every word to match, which a question in plain words ("how do I protect my
logo abroad?") rarely does. So the whole text is tried first, then its longest words one by one, and
articles are ranked by how many of those words they match.
"""

from __future__ import annotations

import re

from apps.guidance.search import SearchResult, search

LIMIT = 5
MIN_CHARS = 3  # fewer letters match too much to help
MAX_CHARS = 200
MAX_WORDS = 6
MIN_WORD_LENGTH = 4  # "how", "the", "my", "for" tell nothing about the topic


def articles_for(text: str, language: str, *, limit: int = LIMIT) -> list[SearchResult]:
    text = text.strip()[:MAX_CHARS]
    if len(text) < MIN_CHARS:
        return []
    found = {result.slug: result for result in search(text, language)[:limit]}
    if len(found) >= limit:
        return list(found.values())
    words = sorted({w for w in re.split(r"\W+", text.casefold()) if len(w) >= MIN_WORD_LENGTH}, key=len, reverse=True)
    scores: dict[str, int] = {}
    best: dict[str, SearchResult] = {}
    for position, word in enumerate(words[:MAX_WORDS]):
        for rank, result in enumerate(search(word, language)[:limit]):
            # Matching more of the words counts most; a better rank for a longer word breaks ties.
            scores[result.slug] = scores.get(result.slug, 0) + 100 - position * 10 - rank
            best.setdefault(result.slug, result)
    for slug in sorted(scores, key=lambda slug: -scores[slug]):
        if len(found) >= limit:
            break
        found.setdefault(slug, best[slug])
    return list(found.values())
