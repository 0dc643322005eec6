"""The words the catalogue knows, in memory: autocomplete by prefix and "did you mean" by jamo edit distance.

The words are the whole name words of the index's document frequencies (``SearchTokenStat``, refreshed in bulk
by ``search_refresh_frequencies``) plus category names: what a shopper can find by name. Each process loads
the ``VOCABULARY_SIZE`` commonest once per ``RELOAD_SECONDS`` and answers from sorted lists by bisection, so
a keystroke costs no database query (autocomplete's goal is p95 <= 10 ms at a million products).
"""

import bisect
import threading
import time
import unicodedata
from dataclasses import dataclass

from ..models import SearchTokenStat
from ..selectors import category_tree
from .korean import edit_distance, initials, is_initials, is_syllable, jamo
from .tokens import NAME_WORD

VOCABULARY_SIZE = 50_000
RELOAD_SECONDS = 600
SUGGESTIONS = 8
CATEGORY_SUGGESTIONS = 3
# Jamo edits allowed for a suggestion: one for short words (가빙 -> 가방), two from six jamo on.
MAX_EDITS_SHORT, MAX_EDITS, LONG_FROM = 1, 2, 6
# A key after every jamo and letter, to bound a prefix range.
_END = "\U0010ffff"


@dataclass(frozen=True)
class Word:
    text: str
    products: int
    category_url: str = ""


class Vocabulary:
    """Sorted keys for prefix search (jamo and 초성) and buckets by first and last syllable for typos."""

    def __init__(self, words: list[Word]):
        self.words = words
        self.known = {word.text for word in words}
        self.by_jamo = sorted((jamo(word.text), index) for index, word in enumerate(words))
        # 초성 of the Hangul syllables only (노트북 액세서리 -> ㄴㅌㅂㅇㅅㅅㄹ), for words with no letters or digits.
        self.by_initials = sorted(
            (initials("".join(filter(is_syllable, word.text))), index)
            for index, word in enumerate(words)
            if any(map(is_syllable, word.text)) and not any(char.isascii() and char.isalnum() for char in word.text)
        )
        self.by_edge: dict[str, list[int]] = {}
        # Category names count as known words too (가방 is a category even where names only say 여행가방).
        for index, word in enumerate(words):
            if all(map(is_syllable, word.text)):
                for edge in {"^" + word.text[0], word.text[-1] + "$"}:
                    self.by_edge.setdefault(edge, []).append(index)

    def complete(self, prefix: str) -> list[Word]:
        """Words and categories starting with ``prefix`` (typed in full, as 초성, or with a half-typed last
        syllable), commonest first."""
        keys, key = (self.by_initials, prefix) if is_initials(prefix) else (self.by_jamo, jamo(prefix))
        start = bisect.bisect_left(keys, (key,))
        end = bisect.bisect_left(keys, (key + _END,))
        found = sorted({index for _, index in keys[start:end]}, key=lambda index: -self.words[index].products)
        categories = [self.words[index] for index in found if self.words[index].category_url]
        words = [self.words[index] for index in found if not self.words[index].category_url]
        return categories[:CATEGORY_SUGGESTIONS] + words[:SUGGESTIONS]

    def nearest(self, word: str) -> str | None:
        """The commonest known word nearest to an unknown one by jamo edits, if one is near enough."""
        if word in self.known or not word or not is_syllable(word[0]):
            return None
        typed = jamo(word)
        limit = MAX_EDITS if len(typed) >= LONG_FROM else MAX_EDITS_SHORT
        candidates = set(self.by_edge.get("^" + word[0], ())) | set(self.by_edge.get(word[-1] + "$", ()))
        best = None
        for index in candidates:
            known = self.words[index]
            if abs(len(known.text) - len(word)) > 1:
                continue
            distance = edit_distance(typed, jamo(known.text), limit=limit)
            if distance <= limit and (best is None or (distance, -known.products) < best[0]):
                best = ((distance, -known.products), known.text)
        return best[1] if best else None


_lock = threading.Lock()
_loaded: tuple[float, Vocabulary] | None = None


def vocabulary() -> Vocabulary:
    """This process's vocabulary, loaded again after ``RELOAD_SECONDS``."""
    global _loaded
    if _loaded is None or time.monotonic() - _loaded[0] > RELOAD_SECONDS:
        with _lock:
            if _loaded is None or time.monotonic() - _loaded[0] > RELOAD_SECONDS:
                _loaded = (time.monotonic(), Vocabulary(_load()))
    return _loaded[1]


def forget() -> None:
    """Load the vocabulary again on next use (tests, and after ``search_refresh_frequencies``)."""
    global _loaded
    _loaded = None


def _load() -> list[Word]:
    rows = (
        SearchTokenStat.objects.filter(token__startswith=NAME_WORD)
        .order_by("-products", "token")
        .values_list("token", "products")[:VOCABULARY_SIZE]
    )
    words = [Word(token[len(NAME_WORD) :], products) for token, products in rows]
    categories = [node.category for node in category_tree().by_slug.values()]
    return words + [Word(category.name, 0, category.get_absolute_url()) for category in categories]


def normalize(text: str) -> str:
    """A prefix as typed, lower-cased and NFC (not NFKC: that would turn a typed ㄱ into a conjoining jamo)."""
    return unicodedata.normalize("NFC", text or "").strip().lower()


def did_you_mean(words: tuple[str, ...]) -> str:
    """The query with each unknown word replaced by its nearest known word, or "" when nothing changes."""
    known = vocabulary()
    suggested = [known.nearest(word) or word for word in words]
    return " ".join(suggested) if suggested != list(words) else ""
