"""Columns the admin shares: amounts of money as 219,700원 instead of the raw integer 219700."""

from django.contrib import admin

from .templatetags.money import won


def won_column(field: str, description, *, ordering: bool = True):
    """An admin display function showing the integer won ``field`` formatted (sortable by the field)."""

    @admin.display(description=description, ordering=field if ordering else None)
    def column(self, obj):
        return won(getattr(obj, field))

    column.__name__ = f"{field}_won"
    return column
