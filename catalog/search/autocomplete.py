"""What the search box suggests as the shopper types: known words and categories by prefix, or under an empty
box the popular searches of the last day. Answered from memory (``vocabulary``) and the cache (``popular``)."""

from dataclasses import dataclass, field

from . import popular
from .vocabulary import normalize, vocabulary


@dataclass
class Suggestions:
    query: str
    words: list[str] = field(default_factory=list)
    categories: list[dict[str, str]] = field(default_factory=list)
    popular: list[str] = field(default_factory=list)


def search_suggestions(*, text: str) -> Suggestions:
    """Completions of the last word typed (the words before it kept), matching categories, or the popular
    searches when nothing is typed."""
    typed = " ".join(normalize(text).split())
    if not typed:
        return Suggestions(query="", popular=popular.top())
    head, _, last = typed.rpartition(" ")
    found = vocabulary().complete(last)
    return Suggestions(
        query=typed,
        words=[f"{head} {word.text}".strip() for word in found if not word.category_url],
        categories=[{"name": word.text, "url": word.category_url} for word in found if word.category_url],
    )
