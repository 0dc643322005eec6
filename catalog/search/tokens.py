"""The tokenizer: one function for the index and the query, so what a shopper types meets what was indexed.

A text becomes words: maximal runs of ``[0-9a-z가-힣]`` after NFKC and lower-casing; every other character
(quotes, ``+ - * ( ) < > ~ @``, punctuation, emoji) only separates words, so it is never query syntax. A word
yields *part* tokens, which find it inside compounds and before particles:

- each Hangul run as overlapping bigrams and trigrams (노트북가방 -> 노트 트북 북가 가방, 노트북 트북가 북가방),
  a one-syllable run as itself. A query asks for the trigrams of a run of three or more syllables (노트북 is
  one token, not two overlapping ones: an exact total then costs one posting list, not a probe per row) and
  for the bigram of a 2-syllable run (가방);
- each letter/digit run whole (rtx, 4060, 256gb) and, when it mixes letters and digits, its pure pieces too
  (256, gb) so that ``GB`` finds 256GB.

A product's name also yields *name* tokens (its part tokens again, marked as the name's), *whole-word*
tokens, which rank name matches first, and for each Hangul run of two syllables or more a *word-end* token of
its last syllable (머그컵 -> 컵, 마스크팩 -> 팩): Korean compounds end in their head noun, so a one-syllable query
(컵) finds the products that are one (머그컵) without a posting per syllable of every text. Every token starts with a letter saying its kind, so it only ever holds
``[0-9a-z가-힣]`` and kinds never collide.

A product also holds a *category* token for its category and each ancestor (``c12``), so a category filter is
one more posting list to intersect, never a scan of product rows.
"""

import re
import unicodedata
from dataclasses import dataclass

TOKEN_MAX_LENGTH = 32
HANGUL, ALNUM, IN_NAME, NAME_WORD, WORD_END, CATEGORY = "h", "a", "n", "w", "e", "c"

_WORD = re.compile(r"[0-9a-z가-힣]+")
_RUN = re.compile(r"[가-힣]+|[0-9a-z]+")
_PIECE = re.compile(r"[a-z]+|[0-9]+")


def words(text: str) -> list[str]:
    """The words of a text, in order (duplicates kept)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").lower())


def phrases(line: str) -> list[str]:
    """The distinct comma-separated phrases of a line, each as its words joined by a space (a synonym group)."""
    entries = (" ".join(words(entry)) for entry in line.split(","))
    return list(dict.fromkeys(entry for entry in entries if entry))


def word_parts(word: str, *, for_query: bool = False) -> set[str]:
    """The part tokens of one word. A query asks for each letter/digit run whole; the index also holds pieces."""
    tokens = set()
    for run in _RUN.findall(word):
        if "가" <= run[0] <= "힣":
            if len(run) == 1:
                tokens.add(HANGUL + run)
            if len(run) == 2 or not for_query:
                tokens.update(HANGUL + run[i : i + 2] for i in range(len(run) - 1))
            tokens.update(_token(HANGUL, run[i : i + 3]) for i in range(len(run) - 2))
        else:
            tokens.add(_token(ALNUM, run))
            if not for_query:
                pieces = _PIECE.findall(run)
                if len(pieces) > 1:
                    tokens.update(_token(ALNUM, piece) for piece in pieces)
    return tokens


def implied(token: str) -> set[str]:
    """Other part tokens every product holding the part token ``token`` holds, by the rules above: a Hangul
    trigram's two bigrams (the run it came from yields both), a letter/digit run's pieces (rtx4060: rtx, 4060);
    in the name alike. Nothing for a token cut at ``TOKEN_MAX_LENGTH``, whose run is not all there."""
    named = token.startswith(IN_NAME)
    kind, text = token[int(named)], token[int(named) + 1 :]
    prefix = token[: int(named) + 1]
    if len(token) >= TOKEN_MAX_LENGTH:
        return set()
    if kind == HANGUL and len(text) == 3:
        return {prefix + text[:2], prefix + text[1:]}
    if kind == ALNUM and len(pieces := _PIECE.findall(text)) > 1:
        return {prefix + piece for piece in pieces}
    return set()


def name_word(word: str) -> str:
    return _token(NAME_WORD, word)


def _token(kind: str, text: str) -> str:
    return (kind + text)[:TOKEN_MAX_LENGTH]


def in_name(part: str) -> str:
    """A part token as found in the name; a word-end token is only ever a name's."""
    return part if part.startswith(WORD_END) else _token(IN_NAME, part)


def word_end(syllable: str) -> str:
    return _token(WORD_END, syllable)


def word_ends(word: str) -> set[str]:
    """The word-end tokens of a name word: the last syllable of each Hangul run of two syllables or more."""
    return {word_end(run[-1]) for run in _RUN.findall(word) if len(run) > 1 and "가" <= run[0] <= "힣"}


def category_token(category_id: int) -> str:
    return f"{CATEGORY}{int(category_id)}"


def document_tokens(*, name: str, description: str, category_path: tuple[int, ...] = ()) -> set[str]:
    """Every token a product is found by: the parts of its name and description, its name's parts marked as
    such, its name's whole words and their word ends, and its category and the category's ancestors."""
    name_words = words(name)
    name_parts = set().union(*(word_parts(word) for word in name_words))
    tokens = name_parts | {in_name(part) for part in name_parts} | {name_word(word) for word in name_words}
    tokens |= set().union(*(word_ends(word) for word in name_words))
    for word in words(description):
        tokens |= word_parts(word)
    tokens |= {category_token(category_id) for category_id in category_path}
    return tokens


@dataclass(frozen=True)
class QueryTerms:
    """What a query asks for: the part tokens of each word, all required (AND); the same tokens in the name,
    and every word whole in the name, rank a product higher."""

    by_word: tuple[frozenset[str], ...]
    whole_words: frozenset[str]

    @property
    def parts(self) -> frozenset[str]:
        return frozenset().union(*self.by_word)

    @property
    def name_parts_by_word(self) -> tuple[frozenset[str], ...]:
        return tuple(frozenset(in_name(part) for part in word) for word in self.by_word)

    def __bool__(self):
        return bool(self.by_word)


# A query longer than this is junk or a paste; its first words are plenty to search with. The token cap
# keeps a query's joins well under the databases' limits (61 tables on MySQL/MariaDB, 64 on SQLite).
QUERY_MAX_CHARS = 100
QUERY_MAX_WORDS = 8
QUERY_MAX_TOKENS = 24


def query_words(query: str) -> list[str]:
    """The distinct words of a query, as many as a query may hold."""
    return list(dict.fromkeys(words((query or "")[:QUERY_MAX_CHARS])))[:QUERY_MAX_WORDS]


def query_terms(query: str) -> QueryTerms:
    """Tokenize a shopper's query with the index's rules, as typed; junk yields no terms, never an error."""
    return terms_for(query_words(query))


def terms_for(query_words: list[str], *, ends: frozenset[str] = frozenset()) -> QueryTerms:
    """The terms of analysed words; a word in ``ends`` asks for its word-end token (컵 inside 머그컵)."""
    by_word, kept_words, budget = [], [], QUERY_MAX_TOKENS
    for word in query_words:
        parts = {word_end(word)} if word in ends else word_parts(word, for_query=True)
        tokens = sorted(parts)[:budget]
        if not tokens:
            break
        by_word.append(frozenset(tokens))
        kept_words.append(word)
        budget -= len(tokens)
    whole = frozenset(word_end(word) if word in ends else name_word(word) for word in kept_words)
    return QueryTerms(by_word=tuple(by_word), whole_words=whole)
