"""Forms of the storefront's catalog pages."""

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shop.inputs import IntegerField
from shop.templatetags.money import won

from .models import MAX_PRICE_WON
from .search.query import DEFAULT_SEARCH_SORT, SEARCH_SORTS, SearchFilters
from .selectors import ListingFilters

SORT_LABELS = {
    "relevance": _("Relevance"),
    "new": _("Newest"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
}


OPTION_SEPARATOR = ":"


def option_choice(name: str, value: str) -> str:
    """An option value as the listing's query string carries it: "사이즈:260"."""
    return f"{name}{OPTION_SEPARATOR}{value}"


@dataclass(frozen=True)
class FilterChip:
    """A chosen filter as shown beside the filter drawer: its label, and the page's query string without it
    ("?..." or "" for none)."""

    label: str
    query: str


def query_without(query: QueryDict, names=(), *, option: str = "") -> str:
    """``query`` without the parameters ``names`` (and one ``option`` value), back on the first page."""
    query = query.copy()
    for name in (*names, "page", "after"):
        query.pop(name, None)
    if option:
        query.setlist("option", [value for value in query.getlist("option") if value != option])
    return f"?{query.urlencode()}" if query else ""


def price_range_label(low: int | None, high: int | None) -> str:
    """A price filter as a chip says it: "10,000원~50,000원", "10,000원 이상", "50,000원 이하"."""
    if low is not None and high is not None:
        return gettext("%(low)s–%(high)s") % {"low": won(low), "high": won(high)}
    if low is not None:
        return gettext("From %(low)s") % {"low": won(low)}
    return gettext("Up to %(high)s") % {"high": won(high)}


class FilterForm(forms.Form):
    """What a category page's and the results page's filters share: the price range, "in stock only" and the
    option values (``option``: "사이즈:260", one per chosen value; the choices are the page's facets)."""

    min_price = IntegerField(label=_("Min price"), required=False, min_value=0, max_value=MAX_PRICE_WON)
    max_price = IntegerField(label=_("Max price"), required=False, min_value=0, max_value=MAX_PRICE_WON)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    option = forms.MultipleChoiceField(label=_("Options"), required=False)

    def offer_options(self, facets) -> None:
        """Accept the values of ``facets`` (``OptionFacet``) in ``option``, and validate the data again."""
        self.fields["option"].choices = [
            (option_choice(facet.name, value), value) for facet in facets for value in facet.values
        ]
        self.full_clean()

    def chosen_options(self) -> tuple:
        """The valid ``option`` values as ``ListingFilters.options``: ((name, (value, ...)), ...)."""
        chosen: dict[str, list[str]] = {}
        for choice in self.value("option", []):
            name, _, value = choice.partition(OPTION_SEPARATOR)
            chosen.setdefault(name, []).append(value)
        return tuple((name, tuple(values)) for name, values in chosen.items())

    def value(self, name, default=None):
        """A cleaned value, or ``default`` when the field was empty or invalid."""
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if value in (None, "") else value

    def chips(self, query: QueryDict) -> list[FilterChip]:
        """The valid chosen filters of ``query`` (this form's data), each with the query string without it."""
        chips = []
        low, high = self.value("min_price"), self.value("max_price")
        if low is not None or high is not None:
            chips.append(FilterChip(price_range_label(low, high), query_without(query, ("min_price", "max_price"))))
        if self.value("in_stock"):
            chips.append(FilterChip(str(self.fields["in_stock"].label), query_without(query, ("in_stock",))))
        for choice in self.value("option", []):
            name, _, value = choice.partition(OPTION_SEPARATOR)
            chips.append(FilterChip(f"{name}: {value}", query_without(query, option=choice)))
        return chips


class SearchForm(FilterForm):
    """The results page's query string. The query itself is never invalid (junk simply finds nothing); an
    invalid filter is reported and ignored, so the page always shows results. The option values it accepts
    are offered after the search (``offer_options``), as they are read from its results."""

    q = forms.CharField(required=False, strip=True)
    category = forms.ChoiceField(label=_("Category"), required=False)
    sort = forms.ChoiceField(choices=[(key, SORT_LABELS[key]) for key in SEARCH_SORTS], required=False)
    page = IntegerField(required=False, min_value=1)
    after = forms.CharField(required=False)

    def __init__(self, data, *, tree):
        super().__init__(data)
        self.tree = tree
        self.fields["category"].choices = [("", _("All categories"))] + list(self._category_choices(tree.roots, 0))

    def _category_choices(self, nodes, depth):
        for node in nodes:
            yield node.category.slug, "\u00a0\u00a0" * depth + node.category.name
            yield from self._category_choices(node.children, depth + 1)

    def chips(self, query: QueryDict) -> list[FilterChip]:
        slug = self.value("category")
        chips = [FilterChip(self.tree.by_slug[slug].category.name, query_without(query, ("category",)))] if slug else []
        return chips + super().chips(query)

    def search_arguments(self) -> dict:
        """Keyword arguments for ``product_search`` from the valid fields."""
        self.is_valid()
        slug = self.value("category")
        return {
            "query": self.value("q", ""),
            "filters": SearchFilters(
                category_ids=tuple(self.tree.by_slug[slug].descendant_ids()) if slug else None,
                min_price=self.value("min_price"),
                max_price=self.value("max_price"),
                in_stock=self.value("in_stock", False),
                options=self.chosen_options(),
            ),
            "sort": self.value("sort", DEFAULT_SEARCH_SORT),
            "page": self.value("page", 1),
            "cursor": self.value("after", ""),
        }


class ListingForm(FilterForm):
    """A category page's query string: sort, price range, "in stock only", options (the category's facets,
    ``listing_option_facets``) and the page. Invalid filters are reported and ignored, as on the results page."""

    sort = forms.ChoiceField(required=False)
    page = IntegerField(required=False, min_value=1)
    after = forms.CharField(required=False)

    def __init__(self, data, *, sorts, facets=()):
        super().__init__(data)
        self.fields["sort"].choices = list(sorts)
        self.offer_options(facets)

    def listing_arguments(self, *, default_sort) -> dict:
        """Keyword arguments for ``product_listing_page`` from the valid fields."""
        self.is_valid()
        return {
            "sort": self.value("sort", default_sort),
            "filters": ListingFilters(
                min_price=self.value("min_price"),
                max_price=self.value("max_price"),
                in_stock=self.value("in_stock", False),
                options=self.chosen_options(),
            ),
            "page": self.value("page", 1),
            "after": self.value("after", ""),
        }


class InfoNoticeField(forms.CharField):
    """상품정보제공고시 edited as text, one "label: value" a line, stored as [[label, value], ...]."""

    widget = forms.Textarea(attrs={"rows": 8, "cols": 80})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("One item a line, as “label: value”, e.g. “Country of manufacture: Korea”. Empty: none of its own."),
        )
        for unused in ("encoder", "decoder", "max_length"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{label}: {text}" for label, text in value)
        return value

    def to_python(self, value):
        rows = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            label, colon, text = line.partition(":")
            if not colon or not label.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write “label: value”."), code="notice_line", params={"number": number}
                )
            rows.append([label.strip(), text.strip()])
        return rows
