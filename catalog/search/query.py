"""The search selector: what the results page (and later the API) shows for a shopper's query.

A query is analysed (``analysis.py``) into alternatives, closest reading first (as typed, split, by
synonym); each is an AND of tokens (see ``tokens.py``) and the results are their union. The SQL starts from an
alternative's rarest token (document frequencies from ``SearchTokenStat``) and probes the others by primary
key, newest product first, so a page stops after its rows. Relevance is, per alternative, three tiers, each
newest first: products whose name holds every query word as a whole word, then those whose name holds them
inside compounds, then the other matches.

Totals are exact while they cost little: an alternative's count reads at most ``COUNT_BUDGET`` postings of its
rarest token (newest first) and probes the others for each. When the token has no more postings than that, the
count is exact; otherwise the matches found in that sample, scaled by the token's document frequency, are an
estimate, shown rounded ("약 8,100개"). A category filter is one more token to intersect (``c<id>``, which every
product in the category or below holds: ``tokens.py``), never a scan of product rows.
"""

from dataclasses import dataclass, field, replace

from django.db import connection, connections, router

from shop import cursors

from ..models import Category, Product, SearchToken, SearchTokenStat, skus_in_stock
from ..selectors import (
    FACET_SAMPLE_PRODUCTS,
    OptionFacet,
    _with_listing_relations,
    option_facets,
    product_ids_with_options,
)
from . import vocabulary
from .analysis import SearchPlan, analyse
from .tokens import category_token

PAGE_SIZE = 20
# How many postings of an alternative's rarest token its count reads at most (newest first); past that the
# total is an estimate. ~2 us a posting with one other token to probe on MariaDB at 1,000,000 products.
COUNT_BUDGET = 3_000
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
) -> SearchPage:
    """Visible products matching every word of ``query``: a page by number (up to ``NUMBERED_PAGES``) or, with
    ``cursor`` (a previous page's ``next_cursor``, signed by ``shop.cursors``), the page after it. Bad sorts and
    pages fall back to the first page; a cursor this search in this sort did not make raises ``InvalidCursor``."""
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
        return _page_with_options(result, search, filters.options, sort=sort, skip=skip, after=after)
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
    result.products = _products([row[-1] for row in rows])
    return result


def _page_with_options(result: SearchPage, search: "Search", options, *, sort, skip: int, after) -> SearchPage:
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
    result.products = _products([row[-1] for row in rows])
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
    parents = dict(Category.objects.values_list("id", "parent_id"))
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


def _products(ids: list[int]) -> list[Product]:
    found = {product.id: product for product in _with_listing_relations(Product.objects.visible().filter(id__in=ids))}
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

    A plan's alternatives are searched in turn; each leaves out what an earlier one found (a correlated count
    of the earlier alternative's tokens, probed by primary key), so their union has no duplicates and ranks
    the closest reading first. Within an alternative, relevance is three tiers (see the module docstring).
    """

    def __init__(self, plan: SearchPlan, filters: SearchFilters, sort: str):
        root = category_subtree_root(filters.category_ids)
        # A category filter that is a whole subtree is one more token every tier and count holds.
        self.category = (category_token(root),) if root is not None else ()
        every = set().union(*(alt.terms.parts | alt.terms.whole_words for alt in plan.alternatives))
        every |= {token for alt in plan.alternatives for word in alt.terms.name_parts_by_word for token in word}
        every |= set(self.category)
        self.frequency = {token: plan.frequency[token] for token in every if token in plan.frequency}
        if missing := every - self.frequency.keys():
            self.frequency |= dict.fromkeys(missing, 0)
            self.frequency |= dict(SearchTokenStat.objects.filter(token__in=missing).values_list("token", "products"))
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
        postings, else an estimate (see the module docstring). Every alternative's two counts (postings of its
        rarest token up to the budget, and matches among them) go to the database as one statement."""
        budget = COUNT_BUDGET
        parts, params, plain = [], [], []
        for number, tokens in enumerate(self.alternatives):
            parts.append(
                f"SELECT COUNT(*) FROM (SELECT product_id FROM {self.table} WHERE token = %s "  # noqa: S608
                f"ORDER BY product_id DESC LIMIT {int(budget) + 1}) held{number}"
            )
            params.append(tokens[0])
            # One token and nothing else to check: every posting read is a match.
            plain.append(len(tokens) == 1 and not number and not self._filter_sql())
            if not plain[-1]:
                sql, sample_params = self._select(
                    tokens, exclude=self.alternatives[:number], limit=budget, ordered=False, sample=budget
                )
                parts.append(f"SELECT COUNT(*) FROM ({sql}) sampled{number}")  # noqa: S608
                params += sample_params
        counts = list(self._fetch("SELECT " + ", ".join(f"({part})" for part in parts), params)[0])
        self.found, self.exact = [], []
        for number, tokens in enumerate(self.alternatives):
            held = counts.pop(0)
            read = min(held, budget)
            matches = read if plain[number] else counts.pop(0)
            exact = held <= budget
            self.exact.append(exact)
            self.found.append(matches if exact else matches * max(self.frequency.get(tokens[0], 0), held) / read)
        return round(sum(self.found))

    def rows(self, *, limit: int, after: tuple[int, ...] | None = None) -> list[tuple[int, ...]]:
        """Up to ``limit`` sort keys, the product id last: (tier, id), (id,) or (price, id)."""
        if self.sort != "relevance":
            rows = []
            for number, tokens in enumerate(self.alternatives):
                if self._nothing_in(number):
                    continue
                sql, params = self._select(tokens, exclude=self.alternatives[:number], after=after, limit=limit)
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
            sql, params = self._select(tokens, exclude=exclude, after=after_id, limit=limit - len(rows))
            rows += [(tier, product_id) for (product_id,) in self._fetch(sql, params)]
            if len(rows) == limit:
                break
            last_id = None
        return rows

    def _nothing_in(self, number: int) -> bool:
        """Whether an alternative adds nothing: ``count`` found so for certain, or its sample found nothing and
        one row of the alternative is not there either (one scan, rather than one per relevance tier)."""
        if number >= len(self.found) or self.found[number]:
            return False
        if not self.exact[number]:
            sql, params = self._select(self.alternatives[number], exclude=self.alternatives[:number], limit=1)
            self.exact[number] = not self._fetch(sql, params)
        return self.exact[number]

    def _select(self, tokens, *, exclude=(), after=None, limit, ordered=True, sample=None):
        """SELECT [price,] id of products holding every token in ``tokens`` and, for each group of tokens in
        ``exclude``, not every one of the group; filtered, in this search's order (unless not ``ordered``),
        after a keyset position. With ``sample``, only among the newest ``sample`` postings of the first token."""
        by_price = ordered and self.sort in ("price_asc", "price_desc")
        filters = self._filter_sql()
        # By price, a common token would mean sorting most of the catalog: walk the price index instead and
        # probe the tokens of each product, which finds a page of a common word's products quickly.
        scan_prices = by_price and self.frequency.get(tokens[0], 0) >= PRICE_SCAN_FROM
        key = "p.id" if scan_prices else "s0.product_id"
        tables = [f"{self.table} s{number}" for number in range(len(tokens))]
        where = [(f"s{number}.token = %s", [token]) for number, token in enumerate(tokens)]
        head = []
        if sample:
            tables[0] = (
                f"(SELECT token, product_id FROM {self.table} WHERE token = %s "  # noqa: S608
                f"ORDER BY product_id DESC LIMIT {int(sample)}) s0"
            )
            head = [tokens[0]]
        where += [(f"s{n}.product_id = {key}", []) for n in range(len(tokens)) if f"s{n}.product_id" != key]
        if filters or by_price:
            tables.insert(0 if scan_prices else len(tables), f"{self.product_table} p")
            if not scan_prices:
                where.append(("p.id = s0.product_id", []))
            where += filters
        for group in exclude:
            # One primary-key lookup per token, stopping at the first one missing. (A COUNT over "token IN (...)"
            # let MariaDB read all ~90 postings of the product by the product-id index: 0.7-1 s for 3,000 rows.)
            held = " AND ".join(
                f"EXISTS (SELECT 1 FROM {self.table} x{n} WHERE x{n}.token = %s AND x{n}.product_id = {key})"  # noqa: S608
                for n in range(len(group))
            )
            where.append((f"NOT ({held})", list(group)))
        order = ""
        if ordered:
            order_by, keyset = self._order(key, after)
            order = f" ORDER BY {order_by}"
            if keyset:
                where.append(keyset)
        columns = f"p.price, {key}" if by_price else key
        hint = "STRAIGHT_JOIN " if connection.vendor == "mysql" else ""
        sql = (
            f"SELECT {hint}{columns} FROM {' CROSS JOIN '.join(tables)} "  # noqa: S608
            f"WHERE {' AND '.join(condition for condition, _ in where)}{order} LIMIT {int(limit)}"
        )
        return sql, head + [param for _, params in where for param in params]

    def _filter_sql(self):
        filters, conditions = self.filters, []
        if filters.category_ids is not None and not self.category:
            ids = list(filters.category_ids) or [0]
            conditions.append((f"p.category_id IN ({', '.join(['%s'] * len(ids))})", list(ids)))
        if filters.min_price is not None:
            conditions.append(("p.price >= %s", [filters.min_price]))
        if filters.max_price is not None:
            conditions.append(("p.price <= %s", [filters.max_price]))
        if filters.in_stock:
            in_stock_sql, in_stock_params = skus_in_stock().values("product_id").query.sql_with_params()
            conditions.append(
                (f"p.status = %s AND p.id IN ({in_stock_sql})", [Product.Status.ON_SALE, *in_stock_params])
            )
        return conditions

    def _order(self, key, after):
        """ORDER BY and the keyset condition for rows after ``after`` (a previous row's sort key)."""
        if self.sort in ("price_asc", "price_desc"):
            direction, beyond = ("", ">") if self.sort == "price_asc" else (" DESC", "<")
            keyset = None
            if after:
                price, last_id = after
                keyset = (f"(p.price {beyond} %s OR (p.price = %s AND {key} {beyond} %s))", [price, price, last_id])
            return f"p.price{direction}, {key}{direction}", keyset
        return f"{key} DESC", ((f"{key} < %s", [after[-1]]) if after else None)

    @staticmethod
    def _fetch(sql, params):
        # Raw SQL bypasses the router unless asked: with a read replica (shop/replicas.py) searches read from it.
        with connections[router.db_for_read(SearchToken)].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
