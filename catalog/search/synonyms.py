"""Staff's synonyms (``SearchSynonym``), read by every query: cached, and dropped from the cache on each change.

The cache entry also expires after ``CACHE_SECONDS``, so a process whose local cache missed the change (the
embedded default's per-process memory cache) catches up within that time.
"""

from django.core.cache import cache

from ..models import SearchSynonym
from .tokens import phrases

CACHE_KEY = "search:synonyms"
CACHE_SECONDS = 300


def groups() -> dict[str, tuple[str, ...]]:
    """Each word of a synonym group -> the group's other words (normalized as the index normalizes text)."""
    mapping = cache.get(CACHE_KEY)
    if mapping is None:
        mapping = {}
        for line in SearchSynonym.objects.values_list("words", flat=True):
            group = phrases(line)
            for word in group:
                others = [other for other in group if other != word]
                mapping[word] = tuple(dict.fromkeys([*mapping.get(word, ()), *others]))
        cache.set(CACHE_KEY, mapping, CACHE_SECONDS)
    return mapping


def synonyms_changed() -> None:
    """Drop the cached groups (the admin calls this after every save and delete)."""
    cache.delete(CACHE_KEY)
