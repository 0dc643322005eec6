"""Query analysis: what a shopper meant by the words typed, as alternative token queries in rank order.

The index side needs no analysis (a Hangul run's bigrams and trigrams find 가방 inside 가방을 and 여행가방);
the query side does, because 가방을 asks for the trigram 가방을. Each word gets *readings*, closest first:

- particles and endings stripped (가방을, 가방에서 -> 가방) when the catalogue says so: the stem must be at
  least ``STRIP_RATIO`` times as frequent as the word as typed. Frequencies are the index's own
  (``SearchTokenStat``: the word whole in names, or its rarest query token), so 사과, 포도, 상의 and 고양이
  keep their last syllable: the word is common and its "stem" (사, 포, 상, 고양) is not much commoner.
  Chosen over a dictionary or a morphological analyser: it needs no new package or word list to maintain,
  follows the catalogue as it changes, and a wrong strip can only widen a query (the stem's tokens are a
  subset of the word's), never lose a product. ``bench/search_judged.py`` measures the false-strip rate.
- a glued word split where the catalogue knows both halves (게이밍노트북 -> 게이밍 노트북), and a letter/digit
  word split into its pieces (rtx4060 -> rtx 4060); the glued reading ranks first;
- a one-syllable word found at the end of name words after its standalone matches (컵 -> 머그컵);
- staff's synonyms (``SearchSynonym``: 삼성 = samsung), after the word itself.

A query's *alternatives* are the combinations of its words' readings, closest first, at most
``MAX_ALTERNATIVES``; results are their union, ranked alternative by alternative. Nothing here needs the
index rebuilt: synonyms and frequencies are read at query time.
"""

import itertools
from dataclasses import dataclass, field

from django.db import connection

from ..models import SearchTokenStat
from . import synonyms
from .korean import is_syllable
from .reads import fetch
from .tokens import QueryTerms, in_name, name_word, query_words, terms_for, word_parts

# Longest first, so 에서 is tried before 서 would be (it is not a particle) and 으로 before 로.
PARTICLES = sorted(
    [
        *("에서는", "에서도", "에서의", "으로는", "으로도", "에게서", "한테서", "이라도", "이라는"),
        *("에서", "으로", "에게", "한테", "까지", "부터", "처럼", "보다", "하고", "이랑", "이나", "에는", "에도"),
        *("이요", "을", "를", "이", "가", "은", "는", "도", "만", "에", "로", "와", "과", "의", "랑", "나"),
    ],
    key=len,
    reverse=True,
)
STRIP_RATIO = 2
SPLIT_MIN_SYLLABLES = 2
MAX_ALTERNATIVES = 4


@dataclass(frozen=True)
class Reading:
    words: tuple[str, ...]
    one_syllable_ends: bool = False
    synonym: str = ""


@dataclass(frozen=True)
class Alternative:
    terms: QueryTerms
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPlan:
    """The analysed words (particles stripped) and the alternatives to search, closest first."""

    words: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    # Document frequencies of the tokens read while analysing (the search reuses them to order its probes).
    frequency: dict[str, int] = field(default_factory=dict, compare=False)
    # Analysed words no product name holds whole (candidates for "did you mean").
    unknown: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.alternatives)


def analyse(query: str) -> SearchPlan:
    """The plan of a shopper's query: one read of token frequencies (every word it might become, with the
    tokens the search will probe) and the cached synonyms."""
    typed = query_words(query)
    groups = synonyms.groups()
    candidates = typed + [stem for word in typed for stem in particle_stems(word)]
    candidates += [half for word in candidates for pair in splits(word) for half in pair]
    candidates += [other for word in candidates for phrase in groups.get(word, ()) for other in phrase.split()]
    candidates += [piece for word in candidates for piece in ascii_pieces(word)]
    frequencies = Frequencies()
    frequencies.load(candidates)
    analysed = list(dict.fromkeys(strip_particle(word, frequencies) for word in typed))
    readings = [word_readings(word, frequencies, groups) for word in analysed]
    combos = sorted(itertools.product(*(range(len(options)) for options in readings)), key=sum)
    alternatives = []
    for combo in combos[:MAX_ALTERNATIVES]:
        chosen = [options[index] for options, index in zip(readings, combo, strict=True)]
        words = [word for reading in chosen for word in reading.words]
        ends = frozenset(word for reading in chosen if reading.one_syllable_ends for word in reading.words)
        terms = terms_for(words, ends=ends)
        if terms:
            alternatives.append(Alternative(terms, tuple(reading.synonym for reading in chosen if reading.synonym)))
    unknown = tuple(word for word in analysed if not frequencies.counts.get(name_word(word)))
    return SearchPlan(
        words=tuple(analysed), alternatives=tuple(alternatives), frequency=frequencies.counts, unknown=unknown
    )


class Frequencies:
    """How common a word is in the catalogue: the larger of its count as a whole name word and the count of
    its rarest query token (an upper bound of the products holding it anywhere)."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.words: dict[str, set[str]] = {}

    def load(self, words):
        new = [word for word in words if word not in self.words]
        for word in new:
            self.words[word] = word_parts(word, for_query=True)
        parts = set().union(*(self.words[word] for word in new))
        tokens = {name_word(word) for word in new} | parts | {in_name(token) for token in parts}
        tokens -= self.counts.keys()
        if tokens:
            self.counts |= dict.fromkeys(tokens, 0)
            self.counts |= token_frequencies(tokens)

    def __getitem__(self, word: str) -> int:
        parts = [self.counts.get(token, 0) for token in self.words.get(word, ())]
        return max(self.counts.get(name_word(word), 0), min(parts, default=0))


def token_frequencies(tokens) -> dict[str, int]:
    """How many products held each of ``tokens`` at the last refresh (``SearchTokenStat``), for those it lists.
    Every search reads these: in SQL of its own, as the search's statements are, since the ORM's building and
    compiling of this one read was 4/5 of its CPU (227 against 45 us at 1,000,000 products)."""
    tokens = list(tokens)
    if not tokens:
        return {}
    table = connection.ops.quote_name(SearchTokenStat._meta.db_table)
    marks = ", ".join(["%s"] * len(tokens))
    return dict(fetch(f"SELECT token, products FROM {table} WHERE token IN ({marks})", tokens))  # noqa: S608


def particle_stems(word: str) -> list[str]:
    """What the word would be without each particle it ends in, longest particle first."""
    if len(word) < 2 or not is_syllable(word[-1]):
        return []
    return [word[: -len(particle)] for particle in PARTICLES if word.endswith(particle) and len(word) > len(particle)]


def strip_particle(word: str, frequencies: Frequencies) -> str:
    """The word without its particle when its stem is ``STRIP_RATIO`` times commoner than the word; else the
    word as typed."""
    typed = frequencies[word]
    for stem in particle_stems(word):
        if frequencies[stem] > STRIP_RATIO * typed:
            return stem
    return word


def splits(word: str) -> list[tuple[str, str]]:
    """Where a glued Hangul word could be two words of at least two syllables each."""
    if len(word) < 2 * SPLIT_MIN_SYLLABLES or not all(is_syllable(char) for char in word):
        return []
    return [(word[:i], word[i:]) for i in range(SPLIT_MIN_SYLLABLES, len(word) - SPLIT_MIN_SYLLABLES + 1)]


def best_split(word: str, frequencies: Frequencies) -> tuple[str, str] | None:
    """The split whose rarer half is commonest, if both halves are known at all."""
    scored = [(min(frequencies[left], frequencies[right]), (left, right)) for left, right in splits(word)]
    scored = [(score, pair) for score, pair in scored if score > 0]
    return max(scored)[1] if scored else None


def ascii_pieces(word: str) -> tuple[str, ...]:
    """A letter/digit word's letter and digit runs (rtx4060 -> rtx, 4060), or () for any other word. Runs of
    one character stay glued: 4k split into 4 and k would find every product with a 4 and a K-brand."""
    if not word.isascii():
        return ()
    pieces = word_parts(word, for_query=False) - word_parts(word, for_query=True)
    if any(len(piece) < 3 for piece in pieces):
        return ()
    return tuple(sorted((piece[1:] for piece in pieces), key=word.index))


def word_readings(word: str, frequencies: Frequencies, groups: dict[str, tuple[str, ...]]) -> list[Reading]:
    """The ways to read one analysed word, closest first."""
    readings = [Reading((word,))]
    if pair := best_split(word, frequencies):
        readings.append(Reading(pair))
    if pieces := ascii_pieces(word):
        readings.append(Reading(pieces))
    if len(word) == 1 and is_syllable(word):
        readings.append(Reading((word,), one_syllable_ends=True))
    readings += [Reading(tuple(other.split()), synonym=other) for other in groups.get(word, ())]
    return readings
