"""The search selector: what the results page (and later the API) shows for a shopper's query.

A query is analysed (``analysis.py``) into alternatives, closest reading first (as typed, split, by
synonym); each is an AND of tokens (see ``tokens.py``) and the results are their union. The SQL starts from an
alternative's rarest token (document frequencies from ``SearchTokenStat``) and probes the others by primary
key, newest product first, so a page stops after its rows. Relevance is, per alternative, three tiers, each
newest first: products whose name holds every query word as a whole word, then those whose name holds them
inside compounds, then the other matches.

Totals are exact while they cost little: an alternative's count reads at most ``COUNT_BUDGET`` postings of its
rarest token and probes the others for each. When the token has no more postings than that, the count is exact;
otherwise the matches found in a sample of its postings (``SAMPLE_WINDOWS`` short windows spread over the id
range), scaled by the token's document frequency, are an estimate, shown rounded ("약 8,100개"). A sample that
found few matches (a rare pair of words, a narrow price range) is taken again, ``RESAMPLE_FACTOR`` times
bigger: the error of a share estimated from m matches is about 1 / sqrt(m). Under a price range the rarest
token's products per price band (``price_bands.py``) carry the range, so the sample only measures the bands
the range cuts and the share of matches; one word in a filtered category is counted from the category's
frequencies, without a sample.

A category filter is one more token to intersect (``c<id>``, which every product in the category or below
holds: ``tokens.py``), never a scan of product rows. A word that none of the category's products held at the
last frequency refresh (``SearchCategoryTokenStat``) is looked for only among the products written since, so
a word of another department (청소기 in 가방) costs a few lookups, not a read of all its postings.
"""

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import connection
from django.db.models import Subquery

from shop import cursors, statements

from ..models import (
    Category,
    Product,
    SearchCategoryTokenStat,
    SearchFrequencyRefresh,
    SearchPriceTokenStat,
    SearchToken,
    skus_in_stock,
)
from ..selectors import (
    FACET_SAMPLE_PRODUCTS,
    OptionFacet,
    option_facets,
    product_ids_with_options,
    products_with_card_relations,
)
from . import price_bands, vocabulary
from .analysis import SearchPlan, analyse, token_frequencies
from .price_bands import PriceStrata
from .reads import fetch
from .tokens import category_token, implied

PAGE_SIZE = 20
# How many postings of an alternative's rarest token its count reads at most (newest first); past that the
# total is an estimate. ~2 us a posting with one other token to probe on MariaDB at 1,000,000 products.
COUNT_BUDGET = 3_000
# A sample whose error could move the total by more than this share (``Search._imprecise``) is taken again,
# this many times bigger: rare word pairs, mostly under a price filter. 7% is fewer than ~200 matches for a
# lone alternative; at 5% (400) common words under the price filter were sampled twice, +30 ms at load 3.5.
RESAMPLE_ERROR = 0.07
RESAMPLE_FACTOR = 4
# The first sample of an alternative beyond the budget, unless a filter on the product rows spreads it: its
# newest postings. A third of the budget keeps most estimates within the error above (a glued word or a
# common pair was two 3,000-posting samples with 2-3 lookups each: ~30 ms of 게이밍노트북's 45 at 1M products).
FIRST_SAMPLE = 1_000
# A sample beyond the budget: this many windows of postings, one per equal slice of the product ids, so it
# does not judge the whole catalog by its newest block.
SAMPLE_WINDOWS = 16
GOLDEN = 0.6180339887
# Products written this long before a frequency refresh began may have committed after it counted: they are
# checked too. (A product's write and its re-indexing share one short transaction: ``catalog.services``.)
REFRESH_MARGIN = timedelta(minutes=10)
# With more products written since the last refresh than this, "not in this category" is not trusted: scan.
RECENT_MAX = 2_000
# Pages 1..NUMBERED_PAGES are reached by number; deeper pages only by "next" with a keyset cursor.
NUMBERED_PAGES = 10
# With fewer results than this, the page suggests the nearest known words ("did you mean").
SUGGEST_BELOW = 3
# From this many products holding a query's rarest token, sorting by price walks the price index instead.
PRICE_SCAN_FROM = 5_000
SEARCH_SORTS = ("relevance", "new", "price_asc", "price_desc")
DEFAULT_SEARCH_SORT = "relevance"
# An option filter is applied to the search's results in its order, OPTION_BATCH at a time (one query on the
# batch's SKUs each), over at most OPTION_SCAN results a page: a page ends where that reading stopped, and
# "next" goes on from there. A common word with a rare option never reads the word's whole posting list.
OPTION_BATCH = 200
OPTION_SCAN = 2_000


@dataclass(frozen=True)
class SearchFilters:
    """The results page's filters. ``options`` as ``catalog.selectors.ListingFilters.options`` (the listing's
    rule: one active SKU in stock holds a chosen value of every option named)."""

    category_ids: tuple[int, ...] | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    options: tuple = ()


@dataclass
class SearchPage:
    """One page of results. ``total`` is exact unless ``total_estimated`` (then it is an estimate, rounded to
    two significant digits: 8,073 -> 8,100)."""

    plan: SearchPlan
    products: list[Product] = field(default_factory=list)
    total: int = 0
    total_estimated: bool = False
    number: int | None = 1
    next_number: int | None = None
    next_cursor: str | None = None
    # Staff's synonyms that found products ("삼성 포함 결과"), and a query to suggest when little was found.
    including: tuple[str, ...] = ()
    suggestion: str = ""
    # With an option filter there is no count: ``total`` is what the pages so far found, more when this is set.
    total_at_least: bool = False

    @property
    def searched(self) -> bool:
        return bool(self.plan)

    @property
    def total_capped(self) -> bool:
        """The listing pages' name for "the total is not exact" (shared templates and the API's field)."""
        return self.total_estimated or self.total_at_least

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_number or self.next_cursor) or self.number != 1

    @property
    def page_numbers(self) -> range:
        pages = -(-self.total // PAGE_SIZE)
        return range(1, min(pages, NUMBERED_PAGES) + 1)


def product_search(
    *,
    query: str,
    filters: SearchFilters = SearchFilters(),
    sort: str = DEFAULT_SEARCH_SORT,
    page: int = 1,
    cursor: str = "",
    categories: bool = False,
) -> SearchPage:
    """Visible products matching every word of ``query``: a page by number (up to ``NUMBERED_PAGES``) or, with
    ``cursor`` (a previous page's ``next_cursor``, signed by ``shop.cursors``), the page after it. Bad sorts and
    pages fall back to the first page; a cursor this search in this sort did not make raises ``InvalidCursor``.
    The products come with what their cards show, and with their categories only when ``categories`` (the
    results page's cards do not show them; the API names them)."""
    plan = analyse(query)
    result = SearchPage(plan=plan)
    if not plan:
        return result
    sort = sort if sort in SEARCH_SORTS else DEFAULT_SEARCH_SORT
    # The SQL applies every filter but the options (tested on the rows it returns: ``_rows_with_options``).
    search = Search(plan, replace(filters, options=()), sort)
    total = search.count()
    result.including = tuple(
        dict.fromkeys(
            word for alt, found in zip(plan.alternatives, search.found, strict=False) if found for word in alt.synonyms
        )
    )
    after = _parse_cursor(cursor, sort) if cursor else None
    if after is not None:
        result.number, skip = None, 0
    else:
        result.number = min(max(page, 1), NUMBERED_PAGES)
        skip = (result.number - 1) * PAGE_SIZE
    if filters.options:
        return _page_with_options(
            result, search, filters.options, sort=sort, skip=skip, after=after, categories=categories
        )
    rows = search.rows(limit=skip + PAGE_SIZE + 1, after=after)[skip:]
    has_more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    result.total, result.total_estimated = total, search.estimated
    if search.estimated and result.number is not None:
        # What the page saw bounds the estimate: page 1 without a next page is the whole result set.
        seen = (result.number - 1) * PAGE_SIZE + len(rows)
        if not has_more:
            result.total, result.total_estimated = seen, False
        else:
            result.total = max(total, seen + 1)
    if result.total_estimated:
        result.total = round_estimate(result.total)
    if result.total < SUGGEST_BELOW and plan.unknown:
        result.suggestion = vocabulary.did_you_mean(plan.words)
    if has_more and result.number is not None and result.number < NUMBERED_PAGES:
        result.next_number = result.number + 1
    if has_more:
        # Numbered pages have a cursor too: the API pages by cursor only; the results page prefers numbers.
        result.next_cursor = search_cursor(sort=sort, key=rows[-1])
    result.products = _products([row[-1] for row in rows], categories=categories)
    return result


def _page_with_options(
    result: SearchPage, search: "Search", options, *, sort, skip: int, after, categories: bool
) -> SearchPage:
    """``product_search``'s page under an option filter. No count (each product's SKUs would be tested): the
    total is what the pages up to this one found, "more than" while there is a next page, as a category
    listing's. When the reading stopped at ``OPTION_SCAN`` results, "next" is a cursor from where it stopped (a
    page number would read the same results again)."""
    rows, stopped = _rows_with_options(search, options, limit=skip + PAGE_SIZE + 1, after=after)
    reached = len(rows)
    rows = rows[skip:]
    has_more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    result.total = min(reached, skip + PAGE_SIZE)
    result.total_at_least = has_more or stopped is not None
    if has_more and result.number is not None and result.number < NUMBERED_PAGES:
        result.next_number = result.number + 1
    if has_more:
        result.next_cursor = search_cursor(sort=sort, key=rows[-1])
    elif stopped is not None:
        result.next_cursor = search_cursor(sort=sort, key=stopped)
    result.products = _products([row[-1] for row in rows], categories=categories)
    return result


def _rows_with_options(search: "Search", options, *, limit: int, after) -> tuple[list, tuple | None]:
    """Up to ``limit`` of ``search``'s rows after ``after`` whose product matches ``options``
    (``catalog.selectors.product_ids_with_options``), read OPTION_BATCH at a time; and the sort key of the last
    row read when ``OPTION_SCAN`` rows were read before ``limit`` matched (more may follow), else None."""
    found, read = [], 0
    while read < OPTION_SCAN:
        wanted = min(OPTION_BATCH, OPTION_SCAN - read)
        batch = search.rows(limit=wanted, after=after)
        matching = product_ids_with_options(product_ids=[row[-1] for row in batch], options=options)
        for row in batch:
            if row[-1] in matching:
                found.append(row)
                if len(found) == limit:
                    return found, None
        if len(batch) < wanted:
            return found, None
        read, after = read + len(batch), batch[-1]
    return found, after


def search_option_facets(*, query: str, filters: SearchFilters = SearchFilters()) -> list[OptionFacet]:
    """The option values the results page offers as filters: those in stock among the ``FACET_SAMPLE_PRODUCTS``
    most relevant results under the other filters (``catalog.selectors.option_facets``). Chosen options never
    narrow the sample, so the values beside a chosen one stay on offer."""
    plan = analyse(query)
    if not plan:
        return []
    search = Search(plan, replace(filters, options=()), DEFAULT_SEARCH_SORT)
    return option_facets(product_ids=[row[-1] for row in search.rows(limit=FACET_SAMPLE_PRODUCTS)])


def round_estimate(total: float) -> int:
    """An estimate as shown: two significant digits (8,073 -> 8,100; 123,456 -> 120,000; 57 -> 57)."""
    total = round(total)
    if total < 100:
        return total
    step = 10 ** (len(str(total)) - 2)
    return round(total / step) * step


def category_subtree_root(category_ids) -> int | None:
    """The category whose subtree (itself and every category below, active or not) is exactly
    ``category_ids``, or None. Such a filter is its category token; any other set of categories is filtered
    on the product rows."""
    if not category_ids:
        return None
    wanted = set(category_ids)
    parents = dict(_CATEGORY_PARENTS.list())
    roots = [category_id for category_id in wanted if parents.get(category_id) not in wanted]
    if len(roots) != 1 or roots[0] not in parents:
        return None
    children: dict[int, list[int]] = {}
    for category_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(category_id)
    subtree, stack = set(), [roots[0]]
    while stack:
        node = stack.pop()
        subtree.add(node)
        stack.extend(children.get(node, ()))
    return roots[0] if subtree == wanted else None


# Every category's parent: compiled once (``shop.statements``), read by every search in a category.
_CATEGORY_PARENTS = statements.Prepared(Category, lambda: Category.objects.order_by().values_list("id", "parent_id"))


def _products(ids: list[int], *, categories: bool = False) -> list[Product]:
    found = {p.id: p for p in products_with_card_relations(ids, category=categories)}
    return [found[product_id] for product_id in ids if product_id in found]


def search_cursor(*, sort: str, key: tuple[int, ...]) -> str:
    """The cursor of the page after a row with sort key ``key``: (tier, id), (id,) or (price, id)."""
    return cursors.cursor_encode(key, scope=f"search.{sort}")


def _parse_cursor(cursor: str, sort: str) -> tuple[int, ...]:
    types = (int,) if sort == "new" else (int, int)
    return cursors.cursor_decode(cursor, scope=f"search.{sort}", types=types)


class Search:
    """The SQL of one analysed query. Joins are written in the order they must run (rarest token first), and
    the database is told to keep that order (STRAIGHT_JOIN on MySQL/MariaDB; SQLite keeps CROSS JOIN's order).

    A plan's alternatives are searched in turn; each leaves out what an earlier one found (the earlier
    alternative's tokens looked up by primary key: ``_left_out``), so their union has no duplicates and ranks
    the closest reading first; the count leaves out an alternative a later one holds (``_covered``). Within an alternative, relevance is three tiers (see the module docstring).
    """

    def __init__(self, plan: SearchPlan, filters: SearchFilters, sort: str):
        root = category_subtree_root(filters.category_ids)
        # A category filter that is a whole subtree is one more token every tier and count holds.
        self.category = (category_token(root),) if root is not None else ()
        every = set().union(*(alt.terms.parts | alt.terms.whole_words for alt in plan.alternatives))
        every |= {token for alt in plan.alternatives for word in alt.terms.name_parts_by_word for token in word}
        every |= set(self.category)
        # How many of the filter category's products held each token at the last refresh (empty when unknown),
        # and when that refresh began.
        self.in_category, self.refreshed = self._category_frequencies(every)
        self.frequency = {token: plan.frequency[token] for token in every if token in plan.frequency}
        # The category's own token: its products, counted by the same refresh.
        self.frequency |= {token: self.in_category[token] for token in self.category if token in self.in_category}
        if missing := every - self.frequency.keys():
            self.frequency |= dict.fromkeys(missing, 0)
            self.frequency |= token_frequencies(missing)
        extra = (frozenset(self.category),) if self.category else ()
        self.alternatives = [self._probe_order(alt.terms.by_word + extra) for alt in plan.alternatives]
        self.tiers = []
        for number, alt in enumerate(plan.alternatives):
            earlier = self.alternatives[:number]
            tiers = [
                self._rarest_first(alt.terms.whole_words | set(self.category)),
                self._probe_order(alt.terms.name_parts_by_word + extra),
                self.alternatives[number],
            ]
            previous = None
            for tokens in tiers:
                if previous is not None and set(tokens) == set(previous):
                    continue
                # A tier holds every token of its own and not every token of the tier above (which it contains).
                self.tiers.append((tokens, [*earlier, previous] if previous else earlier, number))
                previous = tokens
        # Per alternative, the matches it adds (an estimate unless ``exact``), once ``count`` ran.
        self.found: list[float] = []
        self.exact: list[bool] = []
        self.filters = filters
        self.sort = sort
        self.table = connection.ops.quote_name(SearchToken._meta.db_table)
        self.product_table = connection.ops.quote_name(Product._meta.db_table)
        # Tokens none of the filter category's products held at the last refresh, and the moment after which
        # the products that may hold them since were written (``_absent_from_category``).
        self.absent, self.since = self._absent_from_category(every - set(self.category))
        self.recent = [self._since(tokens) for tokens in self.alternatives]
        self.covered = self._covered(plan)
        self.uncounted: frozenset[int] = frozenset()

    def _category_frequencies(self, tokens) -> tuple[dict[str, int], object]:
        """``SearchCategoryTokenStat``'s counts of ``tokens`` in the filter's category, and the refresh's start
        (one query); nothing when there is no category token or its frequencies are unknown."""
        if not self.category:
            return {}, None
        refreshed = SearchFrequencyRefresh.objects.order_by("-started_at").values("started_at")[:1]
        stats = SearchCategoryTokenStat.objects.filter(
            category_token=self.category[0], token__in=set(tokens) | set(self.category)
        ).annotate(refreshed=Subquery(refreshed))
        rows = list(stats.values_list("token", "products", "refreshed"))
        held = {token: products for token, products, _ in rows}
        # The category's own token has a row whenever its frequencies were counted and not forgotten since.
        if self.category[0] not in held or rows[0][2] is None:
            return {}, None
        return held, rows[0][2]

    def _absent_from_category(self, tokens) -> tuple[frozenset[str], object]:
        """Which of ``tokens`` no product of the filter's category held at the last frequency refresh (none
        when its frequencies are unknown, or too many products were written since), and since when products
        may have gained them: a query holding one only looks at the products written since."""
        if not self.in_category or set(tokens) <= self.in_category.keys():
            return frozenset(), None
        since = self.refreshed - REFRESH_MARGIN
        written = Product.objects.filter(updated_at__gte=since).values_list("id", flat=True)[: RECENT_MAX + 1]
        if len(written) > RECENT_MAX:
            return frozenset(), None
        return frozenset(tokens) - self.in_category.keys(), since

    def _since(self, tokens):
        """None, or the moment after which the only products that can hold every one of ``tokens`` (with the
        filter's category) were written."""
        return self.since if self.absent.intersection(tokens) else None

    def _covered(self, plan: SearchPlan) -> frozenset[int]:
        """The alternatives every match of which a later alternative finds too, because that one requires only
        tokens this one holds: a glued reading's trigrams (게이밍노트북: 게이밍 이밍노 밍노트 노트북) hold its split
        reading's (게이밍, 노트북), with what the index adds for those (``tokens.implied``: 무선청소기's 무선청 holds
        무선). The union's total is then the later one's: ``count`` neither counts these nor leaves them out of the
        others' counts (two samples and their lookups less for every glued word), and the page still ranks them
        first. Not a synonym's reading, whose matches say which synonyms found products."""
        covered = set()
        for number, alternative in enumerate(plan.alternatives):
            tokens = self.alternatives[number]
            held = set(tokens).union(*map(implied, tokens))
            if not alternative.synonyms and any(set(later) <= held for later in self.alternatives[number + 1 :]):
                covered.add(number)
        return frozenset(covered)

    @property
    def parts(self) -> list[str]:
        """The first alternative's tokens in probe order (what the query asks for as typed)."""
        return self.alternatives[0]

    def _rarest_first(self, tokens) -> list[str]:
        return sorted(tokens, key=lambda token: (self.frequency.get(token, 0), token))

    def _probe_order(self, by_word) -> list[str]:
        """The rarest token first, then the rarest of each other word (likely to rule rows out), then the rest:
        the other bigrams of a word already probed nearly always come with it, so they are probed last."""
        leads = [self._rarest_first(tokens)[0] for tokens in by_word]
        leads = self._rarest_first(set(leads))
        return leads + self._rarest_first(set().union(*by_word) - set(leads))

    @property
    def estimated(self) -> bool:
        return not all(self.exact)

    def count(self) -> int:
        """The number of matches: exact when every alternative's rarest token has at most ``COUNT_BUDGET``
        postings (or it can only be in products written since the last refresh), else an estimate (see the
        module docstring). Two statements: how many postings each rarest token has (up to the budget), then
        every alternative's matches in its sample; one or two more when a sample is too small for its matches
        (``RESAMPLE_ERROR``): the whole budget's newest postings, then a spread sample ``RESAMPLE_FACTOR``
        times bigger."""
        budget = COUNT_BUDGET
        held, edges = self._postings_held(budget)
        # Alternatives whose matches a later one counts (``_covered``): the page finds whether they have any,
        # unless their rarest token has no posting.
        self.uncounted = frozenset(n for n in self.covered if held.get(n, 1))
        # An alternative whose rarest token has no posting matches nothing: nothing to exclude either. Nor does
        # one whose matches a later one counts.
        live = [tokens for n, tokens in enumerate(self.alternatives) if held.get(n, 1) and n not in self.covered]
        counted = [
            n
            for n in range(len(self.alternatives))
            if n not in self.covered and (self.recent[n] is not None or (held[n] and not self._plain(n)))
        ]
        # Under a price range, the rarest token's band counts (``price_bands``) carry the range.
        strata = self._price_strata(counted, held, live)
        known = self._counted_in_category(counted, held, live)
        # The newest postings are the cheapest sample (one index range: a third of the windows' cost), and the
        # tokens' own mix is alike across the ids; a filter on the product rows (price, stock) is not: the
        # newest 3,000 products of the benchmark's catalog held 13% more of 정품's matches in 10,000-50,000원.
        # The band counts correct the price mix, so those alternatives keep the newest block.
        spread = bool(self._filter_sql())
        sampled = [n for n in counted if n not in strata and n not in known]
        # A first sample of FIRST_SAMPLE newest postings: enough for most alternatives (a glued word's own
        # reading is nearly every posting of its rarest trigram); an alternative it leaves imprecise is read
        # again with the whole budget when that is predicted to be enough, else with the spread sample below.
        first = budget if spread else min(FIRST_SAMPLE, budget)
        counts = self._sample_counts(sampled, budget, held, edges, live, spread=spread, size=first)
        self._price_profile(strata, budget, live)
        few = self._imprecise(counts, held, strata, known)
        if first < budget and (middle := self._precise_at(budget, few, counts, held, strata, known)):
            counts |= self._sample_counts(middle, budget, held, edges, live, spread=False)
            few = self._imprecise(counts, held, strata, known)
        if few:
            if rest := [n for n in few if n not in strata]:
                counts |= self._sample_counts(rest, budget * RESAMPLE_FACTOR, held, edges, live, spread=True)
            self._price_profile({n: strata[n] for n in few if n in strata}, budget * RESAMPLE_FACTOR, live)
        estimates = [self._estimate(n, counts, held, strata, known) for n in range(len(self.alternatives))]
        self.found = [found for found, _, _ in estimates]
        self.exact = [exact for _, _, exact in estimates]
        return round(sum(self.found))

    def _estimate(self, number, counts, held, strata, known) -> tuple[float, float, bool]:
        """An alternative's matches, about one standard error of that figure, and whether it is exact."""
        if number in self.covered:
            return 0, 0.0, True  # a later alternative counted them
        if number in known:
            return known[number], 0.0, False
        frequency = max(self.frequency.get(self.alternatives[number][0], 0), held.get(number, 0))
        if number in strata:
            return strata[number].estimate(), strata[number].error(), False
        read, matches = counts.get(number, (None, 0))
        if number in counts:
            if read is None:
                return matches, 0.0, True
            # The error of a share estimated from m matches among n postings is about sqrt(m) / n of the
            # token's frequency (taken as sqrt(3) for none: nothing found in a sample is no proof of nothing).
            return matches * frequency / max(read, 1), frequency * max(matches, 3) ** 0.5 / max(read, 1), False
        if self.recent[number] is None and self._plain(number):
            return (held[number], 0.0, True) if held[number] <= COUNT_BUDGET else (frequency, 0.0, False)
        return 0, 0.0, True  # its rarest token has no posting

    def _errors(self, counts, held, strata, known) -> tuple[dict[int, float], float]:
        """Each alternative's error (about one standard error of its estimate), and the most any may have:
        ``RESAMPLE_ERROR`` of the total."""
        estimates = [self._estimate(n, counts, held, strata, known) for n in range(len(self.alternatives))]
        total = sum(found for found, _, _ in estimates)
        return {n: error for n, (_, error, _) in enumerate(estimates)}, RESAMPLE_ERROR * max(total, 1)

    def _precise_at(self, size, numbers, counts, held, strata, known) -> list[int]:
        """Of ``numbers``, the sampled alternatives whose error, shrunk as 1 / sqrt(postings read), would be
        within the limit with a sample of ``size`` newest postings."""
        errors, limit = self._errors(counts, held, strata, known)
        return [
            n for n in numbers if n in counts and counts[n][0] and errors[n] * (counts[n][0] / size) ** 0.5 <= limit
        ]

    def _imprecise(self, counts, held, strata, known) -> list[int]:
        """The sampled alternatives whose estimate's error could move the total by more than the limit. A rare
        pair in a common word's alternative is left alone when it barely counts."""
        errors, limit = self._errors(counts, held, strata, known)
        sampled = set(counts) | set(strata)
        return [n for n, error in errors.items() if n in sampled and error > limit]

    def _counted_in_category(self, counted, held, live) -> dict[int, int]:
        """Per alternative that is one word in the filter's category and nothing else (no other filter, nothing
        to leave out) beyond the postings budget: how many of the category's products held the word at the last
        refresh (``SearchCategoryTokenStat``), an estimate that needs no sample."""
        if not self.category or self._filter_sql():
            return {}
        known = {}
        for number in counted:
            words = [token for token in self.alternatives[number] if token != self.category[0]]
            if (
                self.recent[number] is None
                and held[number] > COUNT_BUDGET
                and len(words) == 1
                and words[0] in self.in_category
                and not any(self._overlaps(earlier, live) for earlier in range(number))
            ):
                known[number] = self.in_category[words[0]]
        return known

    def _overlaps(self, earlier: int, live) -> bool:
        """Whether an earlier alternative's matches may be many of a later one's, which an estimate from the
        category's frequencies cannot leave out. One only in the products written since the refresh (a word
        the category did not hold: 랩탑 in 가전·디지털, where its synonym 노트북 is) shares at most those few,
        which its own exact count already holds: the estimate is then high by at most that count."""
        return self.alternatives[earlier] in live and self.recent[earlier] is None

    def _price_strata(self, counted, held, live) -> dict[int, PriceStrata]:
        """Per alternative whose count samples its rarest token under a price range, that token's products in
        the bands the range covers and cuts (``SearchPriceTokenStat``), unless it has no band counts."""
        low, high = self.filters.min_price, self.filters.max_price
        candidates = {
            n: self.alternatives[n][0]
            for n in counted
            if self.recent[n] is None and held[n] > COUNT_BUDGET and (low is not None or high is not None)
        }
        if not candidates:
            return {}
        counts: dict[str, dict[int, int]] = {}
        rows = SearchPriceTokenStat.objects.filter(token__in=set(candidates.values()))
        for token, band, products in rows.values_list("token", "band", "products"):
            counts.setdefault(token, {})[band] = products
        # With another filter on the product rows (stock, a set of categories) the sample carries the range.
        if self._row_filter():
            return {}
        whole, cut = price_bands.bands_in(low, high)
        strata = {}
        for number, token in candidates.items():
            if token not in counts:
                continue  # not counted at the last refresh: the spread sample instead
            by_band = counts[token]
            alone = len(self.alternatives[number]) == 1 and not any(
                group in live for group in self.alternatives[:number]
            )
            strata[number] = PriceStrata(
                sum(by_band.get(b, 0) for b in whole), [by_band.get(b, 0) for b, _, _ in cut], alone=alone
            )
        return strata

    def _price_profile(self, strata: dict[int, PriceStrata], size: int, live) -> None:
        """Fill in each alternative's sample, the newest ``size`` postings of its rarest token (a quarter of that
        for a word alone, whose sample only measures the cut bands): how many are in the price range, how many
        of those are matches, and per band the range cuts how many are in the band and in the range. The price is
        the posting's own; the other tokens are probed only in the range. One statement. A sample taken again
        bigger reads on from where the one before stopped (``PriceStrata.add``): the same postings, each once."""
        wanted = [n for n, stratum in strata.items() if not stratum.alone or stratum.cut]
        if not wanted:
            return
        low, high = self.filters.min_price, self.filters.max_price
        _, cut = price_bands.bands_in(low, high)
        inside = [f"s0.price >= {int(low)}"] if low is not None else []
        inside += [f"s0.price <= {int(high)}"] if high is not None else []
        in_range = " AND ".join(inside)
        bands = []
        for band, first, last in cut:
            end = price_bands.EDGES[band + 1] if band + 1 < len(price_bands.EDGES) else None
            in_band = f"s0.price >= {price_bands.EDGES[band]}" + (f" AND s0.price < {end}" if end is not None else "")
            in_cut = f"s0.price >= {int(first)}" + (f" AND s0.price <= {int(last)}" if last is not None else "")
            bands += [f"SUM(CASE WHEN {in_band} THEN 1 ELSE 0 END)", f"SUM(CASE WHEN {in_cut} THEN 1 ELSE 0 END)"]
        parts, params = [], []
        for number in wanted:
            tokens = self.alternatives[number]
            stratum = strata[number]
            block = (max(size // 4, 1) if stratum.alone else size) - stratum.read
            if block <= 0 or stratum.below == 0:
                continue  # every posting read already
            # The other tokens, each looked up only in the range and when the one before was there.
            joins, guard = [], in_range
            for n in range(1, len(tokens)):
                joins.append(
                    f" LEFT JOIN {self.table} h{n} ON {guard} AND h{n}.token = %s AND h{n}.product_id = s0.product_id"
                )
                guard = f"h{n}.product_id IS NOT NULL"
            exclude = [group for group in self.alternatives[:number] if group in live]
            left_joins, left_params, left_out = self._left_out(tokens, exclude, "s0.product_id", only=guard)
            match = [in_range, *(f"h{n}.product_id IS NOT NULL" for n in range(1, len(tokens))), *left_out]
            below = " AND product_id < %s" if stratum.below is not None else ""
            parts.append(
                f"SELECT {number}, COUNT(*), MIN(s0.product_id), SUM(CASE WHEN {in_range} THEN 1 ELSE 0 END), "  # noqa: S608
                f"SUM(CASE WHEN {' AND '.join(match)} THEN 1 ELSE 0 END){''.join(', ' + b for b in bands)} "
                f"FROM (SELECT product_id, price FROM {self.table} WHERE token = %s{below} "
                f"ORDER BY product_id DESC LIMIT {int(block)}) s0{''.join(joins)}{left_joins}"
            )
            params += [tokens[0], *([stratum.below] if below else []), *tokens[1:], *left_params]
        if not parts:
            return
        for number, read, lowest, *sums in self._fetch(" UNION ALL ".join(parts), params):
            # SUM is a decimal on MariaDB, and NULL over no rows.
            in_range_read, matches, *cut_reads = [int(value or 0) for value in sums]
            pairs = [(cut_reads[2 * i], cut_reads[2 * i + 1]) for i in range(len(cut))]
            strata[number].add(read, lowest, in_range_read, matches, pairs)

    def _sample_counts(
        self, numbers, budget, held, edges, live, *, spread, size=None
    ) -> dict[int, tuple[int | None, int]]:
        """Per alternative of ``numbers``, (postings read, matches) in a sample of ``budget`` postings of its
        rarest token (the newest ``size`` (default ``budget``), or ``spread`` over its ids: ``_windows``), or
        (None, matches) when every one was read (or it can only be in recent products)."""
        parts, params, sampled, newest = [], [], set(), {}
        for number in numbers:
            tokens = self.alternatives[number]
            exclude = [group for group in self.alternatives[:number] if group in live]
            if self.recent[number] is not None:
                sql, more = self._select(tokens, exclude=exclude, limit=None, ordered=False, since=self.recent[number])
            elif held[number] <= COUNT_BUDGET:
                sql, more = self._select(tokens, exclude=exclude, limit=None, ordered=False, sample=COUNT_BUDGET)
            elif not spread:
                newest[number] = size or budget
                sql, more = self._select(tokens, exclude=exclude, limit=None, ordered=False, sample=newest[number])
            else:
                windows, window_params = self._windows(tokens[0], budget, *edges[number])
                sampled.add(number)
                parts.append(f"SELECT COUNT(*) FROM ({windows}) reads{number}")  # noqa: S608
                sql, more = self._select(tokens, exclude=exclude, limit=None, ordered=False, windows=windows)
                params += window_params * 2
            parts.append(f"SELECT COUNT(*) FROM ({sql}) matches{number}")  # noqa: S608
            params += more
        if not parts:
            return {}
        values = list(self._fetch("SELECT " + ", ".join(f"({part})" for part in parts), params)[0])
        return {n: (values.pop(0) if n in sampled else newest.get(n), values.pop(0)) for n in numbers}

    def _plain(self, number: int) -> bool:
        """Whether every posting of the alternative's one token is a match (the first, one token, no filter)."""
        return len(self.alternatives[number]) == 1 and not number and not self._filter_sql()

    def _postings_held(self, budget: int) -> tuple[dict[int, int], dict[int, tuple[int, int]]]:
        """Per alternative searched through its postings: how many postings its rarest token has, up to
        ``budget`` + 1, and the first and last product holding it (a sample is spread between them)."""
        scanned = [n for n, since in enumerate(self.recent) if since is None]
        if not scanned:
            return {}, {}
        parts = [
            f"SELECT COUNT(*) FROM (SELECT product_id FROM {self.table} WHERE token = %s "  # noqa: S608
            f"ORDER BY product_id DESC LIMIT {int(budget) + 1}) held{n}"
            for n in scanned
        ]
        parts += [
            f"SELECT {edge}(product_id) FROM {self.table} WHERE token = %s"  # noqa: S608
            for n in scanned
            for edge in ("MIN", "MAX")
        ]
        rarest = [self.alternatives[n][0] for n in scanned]
        params = rarest + [token for token in rarest for _ in range(2)]
        row = self._fetch("SELECT " + ", ".join(f"({part})" for part in parts), params)[0]
        firsts, lasts = row[len(scanned) :: 2], row[len(scanned) + 1 :: 2]
        edges = dict(zip(scanned, zip(firsts, lasts, strict=True), strict=True))
        return dict(zip(scanned, row, strict=False)), edges

    def _windows(self, token: str, budget: int, first_id: int, last_id: int) -> tuple[str, list]:
        """A sample of ``budget`` postings of ``token``: ``SAMPLE_WINDOWS`` index range reads of the few
        postings below a point of each equal slice of the ids from its first product to its last. The points
        sit at golden-ratio fractions of their slices, so the windows cannot all fall on the same place of a
        catalog that repeats itself (the benchmark's is 25 copies of 40,000 products: slices of 100,000 ids
        ending on round numbers sampled 2 places of the 40,000, 5 times over)."""
        size = -(-budget // SAMPLE_WINDOWS)
        span = last_id + 1 - first_id
        starts = [first_id + span * n // SAMPLE_WINDOWS for n in range(SAMPLE_WINDOWS)]
        # Each window ends in the second half of its slice, at a golden-ratio step from the last one's place.
        ends = [first_id + int(span * (n + 0.5 + (n * GOLDEN) % 1 / 2) / SAMPLE_WINDOWS) for n in range(SAMPLE_WINDOWS)]
        bounds = [(start, max(end, start + 1)) for start, end in zip(starts, ends, strict=True)]
        # Each window is its own derived table: SQLite wants no ORDER BY inside a compound SELECT's members.
        windows = " UNION ALL ".join(
            f"SELECT * FROM (SELECT token, product_id, price FROM {self.table} WHERE token = %s "  # noqa: S608
            f"AND product_id >= %s AND product_id < %s ORDER BY product_id DESC LIMIT {size}) w{n}"
            for n in range(SAMPLE_WINDOWS)
        )
        params = [value for start, end in bounds for value in (token, start, end)]
        return windows, params

    def rows(self, *, limit: int, after: tuple[int, ...] | None = None) -> list[tuple[int, ...]]:
        """Up to ``limit`` sort keys, the product id last: (tier, id), (id,) or (price, id)."""
        if self.sort != "relevance":
            rows = []
            for number, tokens in enumerate(self.alternatives):
                if self._nothing_in(number):
                    continue
                sql, params = self._select(
                    tokens, exclude=self.alternatives[:number], after=after, limit=limit, since=self.recent[number]
                )
                rows += self._fetch(sql, params)
            descending = self.sort in ("new", "price_desc")
            return sorted(rows, reverse=descending)[:limit]
        start, last_id = after if after else (0, None)
        rows = []
        for tier in range(start, len(self.tiers)):
            tokens, exclude, alternative = self.tiers[tier]
            if self._nothing_in(alternative):
                continue  # counted: nothing there (a glued reading that only the split one finds)
            after_id = (last_id,) if last_id else None
            since = self._since(tokens)
            sql, params = self._select(tokens, exclude=exclude, after=after_id, limit=limit - len(rows), since=since)
            rows += [(tier, product_id) for (product_id,) in self._fetch(sql, params)]
            if len(rows) == limit:
                break
            last_id = None
        return rows

    def _nothing_in(self, number: int) -> bool:
        """Whether an alternative adds nothing: ``count`` found so for certain, or its sample found nothing and
        one row of the alternative is not there either (one scan, rather than one per relevance tier)."""
        if number >= len(self.found) or self.found[number] or number in self.uncounted:
            return False
        if not self.exact[number]:
            alternative, earlier = self.alternatives[number], self.alternatives[:number]
            sql, params = self._select(alternative, exclude=earlier, limit=1, since=self.recent[number])
            self.exact[number] = not self._fetch(sql, params)
        return self.exact[number]

    def _select(self, tokens, *, exclude=(), after=None, limit, ordered=True, sample=None, windows="", since=None):
        """SELECT [price,] id of products holding every token in ``tokens`` and, for each group of tokens in
        ``exclude``, not every one of the group; filtered, in this search's order (unless not ``ordered``),
        after a keyset position, at most ``limit`` (None: all). With ``sample``, only among the newest
        ``sample`` postings of the first token; with ``windows`` (``_windows``' SQL, whose parameters the caller
        puts first), only among those; with ``since``, only among the products written after it."""
        by_price = ordered and self.sort in ("price_asc", "price_desc")
        # By price, a common token would mean sorting most of the catalog: walk the price index instead and
        # probe the tokens of each product, which finds a page of a common word's products quickly.
        scan_prices = by_price and since is None and self.frequency.get(tokens[0], 0) >= PRICE_SCAN_FROM
        key = "p.id" if scan_prices else "s0.product_id"
        # Otherwise the first token's posting carries the price: no product is looked up for it.
        price = "p.price" if scan_prices else "s0.price"
        filters = self._filter_sql(price)
        tables = [f"{self.table} s{number}" for number in range(len(tokens))]
        where = [(f"s{number}.token = %s", [token]) for number, token in enumerate(tokens)]
        head = []
        if sample:
            tables[0] = (
                f"(SELECT token, product_id, price FROM {self.table} WHERE token = %s "  # noqa: S608
                f"ORDER BY product_id DESC LIMIT {int(sample)}) s0"
            )
            head = [tokens[0]]
        elif windows:
            tables[0] = f"({windows}) s0"
        if since is not None:
            # The few products written since the refresh drive the query; every token is probed by key.
            tables.insert(0, f"(SELECT id FROM {self.product_table} WHERE updated_at >= %s) r")  # noqa: S608
            head.append(since)
            where.append(("s0.product_id = r.id", []))
        where += [(f"s{n}.product_id = {key}", []) for n in range(len(tokens)) if f"s{n}.product_id" != key]
        if scan_prices or self._row_filter():
            # Right after the first token: a stock or category test rules most rows out before the other
            # tokens' lookups.
            after_first = 2 if since is not None else 1
            tables.insert(0 if scan_prices else after_first, f"{self.product_table} p")
            if not scan_prices:
                where.append(("p.id = s0.product_id", []))
        where += filters
        left_joins, left_params, left_out = self._left_out(tokens, exclude, key)
        where += [(condition, []) for condition in left_out]
        order = ""
        if ordered:
            order_by, keyset = self._order(key, after, price)
            order = f" ORDER BY {order_by}"
            if keyset:
                where.append(keyset)
        columns = f"{price}, {key}" if by_price else key
        hint = "STRAIGHT_JOIN " if connection.vendor == "mysql" else ""
        bound = f" LIMIT {int(limit)}" if limit is not None else ""
        sql = (
            f"SELECT {hint}{columns} FROM {' CROSS JOIN '.join(tables)}{left_joins} "  # noqa: S608
            f"WHERE {' AND '.join(condition for condition, _ in where)}{order}{bound}"
        )
        return sql, head + left_params + [param for _, params in where for param in params]

    def _left_out(self, tokens, exclude, key, *, only: str = "") -> tuple[str, list, list[str]]:
        """LEFT JOINs, their parameters and conditions that the product ``key`` does not hold every token of each
        group in ``exclude``. One primary-key lookup per token, made only when the group's token before it was
        there (and ``only`` holds, for the first): a group is ruled out at its first missing token.

        Joins, not scalar subqueries: MariaDB runs a subquery per row at ~2.5x the cost of the same lookup as a
        join (5.6 against 2.3 us at 1,000,000 products; 3,000 postings of 게이밍 less the glued word's
        products: 48 -> 23 ms). Not NOT EXISTS either: MariaDB turns it into IN and reads the whole posting list
        first (134 ms for a category token's 97,625 postings, against 0.4 ms for the 61 lookups). (A COUNT over
        "token IN (...)" read all ~90 postings of each product by the product-id index: 0.7-1 s.)"""
        joins, params, conditions = [], [], []
        for number, group in enumerate(exclude):
            # A token this query requires is held anyway (the category's): only the others tell.
            group = [token for token in group if token not in tokens] or list(group)
            names = [f"x{number}_{n}" for n in range(len(group))]
            for n, (name, token) in enumerate(zip(names, group, strict=True)):
                guard = [f"{names[n - 1]}.product_id IS NOT NULL"] if n else [only] if only else []
                on = " AND ".join([*guard, f"{name}.token = %s", f"{name}.product_id = {key}"])
                joins.append(f" LEFT JOIN {self.table} {name} ON {on}")
                params.append(token)
            conditions.append("(" + " OR ".join(f"{name}.product_id IS NULL" for name in names) + ")")
        return "".join(joins), params, conditions

    def _row_filter(self) -> bool:
        """Whether a filter needs the product's row (stock, a set of categories that is not one subtree); a
        price range is tested on the postings, a subtree is a token."""
        return self.filters.in_stock or (self.filters.category_ids is not None and not self.category)

    def _filter_sql(self, price: str = "p.price"):
        """The filters' conditions, the price tested on ``price`` (a posting's copy, or the product's)."""
        filters, conditions = self.filters, []
        if filters.category_ids is not None and not self.category:
            ids = list(filters.category_ids) or [0]
            conditions.append((f"p.category_id IN ({', '.join(['%s'] * len(ids))})", list(ids)))
        if filters.min_price is not None:
            conditions.append((f"{price} >= %s", [filters.min_price]))
        if filters.max_price is not None:
            conditions.append((f"{price} <= %s", [filters.max_price]))
        if filters.in_stock:
            in_stock_sql, in_stock_params = skus_in_stock().values("product_id").query.sql_with_params()
            conditions.append(
                (f"p.status = %s AND p.id IN ({in_stock_sql})", [Product.Status.ON_SALE, *in_stock_params])
            )
        return conditions

    def _order(self, key, after, price):
        """ORDER BY and the keyset condition for rows after ``after`` (a previous row's sort key)."""
        if self.sort in ("price_asc", "price_desc"):
            direction, beyond = ("", ">") if self.sort == "price_asc" else (" DESC", "<")
            keyset = None
            if after:
                at, last_id = after
                keyset = (f"({price} {beyond} %s OR ({price} = %s AND {key} {beyond} %s))", [at, at, last_id])
            return f"{price}{direction}, {key}{direction}", keyset
        return f"{key} DESC", ((f"{key} < %s", [after[-1]]) if after else None)

    _fetch = staticmethod(fetch)
