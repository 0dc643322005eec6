"""Forms of the storefront's catalog pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.inputs import IntegerField

from .models import MAX_PRICE_WON
from .search.query import DEFAULT_SEARCH_SORT, SEARCH_SORTS, SearchFilters
from .selectors import ListingFilters

SORT_LABELS = {
    "relevance": _("Relevance"),
    "new": _("Newest"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
}


class SearchForm(forms.Form):
    """The results page's query string. The query itself is never invalid (junk simply finds nothing); an
    invalid filter is reported and ignored, so the page always shows results."""

    q = forms.CharField(required=False, strip=True)
    category = forms.ChoiceField(label=_("Category"), required=False)
    min_price = IntegerField(label=_("Min price"), required=False, min_value=0, max_value=MAX_PRICE_WON)
    max_price = IntegerField(label=_("Max price"), required=False, min_value=0, max_value=MAX_PRICE_WON)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
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

    def value(self, name, default=None):
        """A cleaned value, or ``default`` when the field was empty or invalid."""
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if value in (None, "") else value

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
            ),
            "sort": self.value("sort", DEFAULT_SEARCH_SORT),
            "page": self.value("page", 1),
            "cursor": self.value("after", ""),
        }


class ListingForm(forms.Form):
    """A category page's query string: sort, price range, "in stock only" and the page. Invalid filters are
    reported and ignored, as on the results page."""

    sort = forms.ChoiceField(required=False)
    min_price = IntegerField(label=_("Min price"), required=False, min_value=0, max_value=MAX_PRICE_WON)
    max_price = IntegerField(label=_("Max price"), required=False, min_value=0, max_value=MAX_PRICE_WON)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    # "사이즈:260", one per chosen value; the choices are the category's facets (``listing_option_facets``).
    option = forms.MultipleChoiceField(label=_("Options"), required=False)
    page = IntegerField(required=False, min_value=1)
    after = forms.CharField(required=False)

    def __init__(self, data, *, sorts, facets=()):
        super().__init__(data)
        self.fields["sort"].choices = list(sorts)
        self.fields["option"].choices = [
            (option_choice(facet.name, value), value) for facet in facets for value in facet.values
        ]

    def chosen_options(self) -> tuple:
        """The valid ``option`` values as ``ListingFilters.options``: ((name, (value, ...)), ...)."""
        chosen: dict[str, list[str]] = {}
        for choice in self.value("option", []):
            name, _, value = choice.partition(OPTION_SEPARATOR)
            chosen.setdefault(name, []).append(value)
        return tuple((name, tuple(values)) for name, values in chosen.items())

    def value(self, name, default=None):
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if value in (None, "") else value

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


OPTION_SEPARATOR = ":"


def option_choice(name: str, value: str) -> str:
    """An option value as the listing's query string carries it: "사이즈:260"."""
    return f"{name}{OPTION_SEPARATOR}{value}"


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
