"""Price bands: how search estimates a price-filtered total from counts rather than from product rows.

``SearchPriceTokenStat`` holds, per token, how many products of each band hold it (refreshed in bulk). A price
range covers whole bands, whose counts are read as they are, and cuts at most two at its ends, whose share
inside the range is measured on a sample of the token's postings. A word's products in the range are then
known without a sample at all; a query of several words multiplies that by the share of the rarest word's
sampled products in the range that hold the others (a ratio, whose error shrinks as the share nears 1).

Before, the sample alone carried the range: 16 windows spread over the ids (the newest products' price mix
is not the catalog's: 13% more of 정품's newest 3,000 were in 10,000-50,000원), each with the product's price
looked up, and taken again 4x bigger when it found fewer than ~200 matches. The counts make the newest block
enough (the bands correct its price mix) and a word alone needs no second sample.
"""

import bisect
from dataclasses import dataclass, field

# Band n holds prices from EDGES[n] to EDGES[n + 1] - 1 (the last one has no upper end): 7 a decade from
# 1,000원, on the round numbers shoppers type as bounds (10,000, 30,000, 50,000, 100,000).
EDGES = (0, *(int(m * 10**k) for k in range(3, 8) for m in (1, 1.5, 2, 3, 4, 5, 7)), 10**8)


def band(price: int) -> int:
    return bisect.bisect_right(EDGES, price) - 1


def band_sql(column: str) -> str:
    """SQL for the band of a price column (both databases)."""
    cases = " ".join(f"WHEN {column} < {EDGES[n + 1]} THEN {n}" for n in range(len(EDGES) - 1))
    return f"CASE {cases} ELSE {len(EDGES) - 1} END"


def bands_in(low: int | None, high: int | None) -> tuple[list[int], list[tuple[int, int, int | None]]]:
    """The bands a price range ``low``..``high`` (inclusive, None: open) covers whole, and those it cuts, each
    as (band, first price in the range, last price in the range or None)."""
    low = low or 0
    whole, cut = [], []
    for number, start in enumerate(EDGES):
        end = EDGES[number + 1] - 1 if number + 1 < len(EDGES) else None
        if high is not None and start > high:
            break
        if end is not None and end < low:
            continue
        if start >= low and (high is None or (end is not None and end <= high)):
            whole.append(number)
        else:
            cut.append((number, max(start, low), high if end is None or (high is not None and high < end) else end))
    return whole, cut


@dataclass
class PriceStrata:
    """One alternative's total under a price range, from its rarest token's products in the bands the range
    covers (``whole``) and cuts (``cut``), and a sample of that token's postings: ``in_range`` of them in the
    range, and per cut band how many were in the band and how many of those in the range. ``alone``: every
    product of the token in the range is a match (one token, no other filter, nothing to leave out)."""

    whole: int
    cut: list[int]
    alone: bool = False
    in_range: int = 0
    matches: int = 0
    cut_reads: list[tuple[int, int]] = field(default_factory=list)
    # Postings sampled so far, the newest first, and the lowest product id among them (0: none was left).
    read: int = 0
    below: int | None = None

    def add(self, read: int, lowest: int | None, in_range: int, matches: int, cut_reads: list[tuple[int, int]]):
        """Count in the next block of the sample: ``read`` postings down to product ``lowest``, what they held."""
        self.read += read
        self.below = lowest or 0
        self.in_range += in_range
        self.matches += matches
        earlier = self.cut_reads or [(0, 0)] * len(cut_reads)
        self.cut_reads = [(a + c, b + d) for (a, b), (c, d) in zip(earlier, cut_reads, strict=True)]

    def shares(self) -> list[float]:
        """The share of each cut band's products inside the range, as sampled (half when none was)."""
        return [inside / seen if seen else 0.5 for seen, inside in self.cut_reads]

    def products(self) -> float:
        """The rarest token's products in the range."""
        return self.whole + sum(count * share for count, share in zip(self.cut, self.shares(), strict=True))

    def estimate(self) -> float:
        """The alternative's matches in the range: ``matches`` of the sample's ``in_range`` were."""
        if self.alone:
            return self.products()
        return self.products() * self.matches / self.in_range if self.in_range else 0.0

    def error(self) -> float:
        """About one standard error of ``estimate``: the ratio's (binomial, with one match and one miss added
        so that a sample that saw all or none is not taken as proof) and each cut band's share's."""
        ratio = 1.0 if self.alone else (self.matches + 1) / (self.in_range + 2)
        variance = 0.0 if self.alone else self.products() ** 2 * ratio * (1 - ratio) / max(self.in_range, 1)
        for count, (seen, inside) in zip(self.cut, self.cut_reads, strict=True):
            share = (inside + 1) / (seen + 2)
            variance += (count * ratio) ** 2 * share * (1 - share) / max(seen, 1)
        return variance**0.5
