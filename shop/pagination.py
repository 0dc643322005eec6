"""Pagination for lists that can be huge: the count stops at a cap instead of reading every matching row."""

from django.core.paginator import PageNotAnInteger, Paginator
from django.utils.functional import cached_property

from .inputs import InvalidInput, parse_page

# The same cap as search's totals: beyond it a page says "10,000개 이상" and the pager ends.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A ``Paginator`` whose count reads at most ``cap + 1`` rows; pages stop at the cap."""

    def __init__(self, object_list, per_page, *, cap=COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self):
        # Without the ORDER BY: a count needs no order, and kept inside the LIMIT subquery it makes the
        # database sort every matching row first (seconds at a million products).
        return self.object_list.order_by()[: self.cap + 1].count()

    def validate_number(self, number):
        # Django's int() takes "٢" and "２" as 2; a page number is ASCII digits (get_page then shows page 1).
        try:
            number = parse_page(number if isinstance(number, int) else str(number))
        except InvalidInput:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        return super().validate_number(number)

    @property
    def count(self):
        return min(self._counted, self.cap)

    @property
    def capped(self):
        """True when there are more items than ``count`` says (and the pager ends at the cap)."""
        return self._counted > self.cap
