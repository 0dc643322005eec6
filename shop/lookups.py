"""``in`` lookups on integer columns that leave out values the column cannot hold.

Django (5.0+) answers ``id=2**64`` with no rows instead of sending the number to the database, but not
``id__in``: SQLite raises ``OverflowError`` for any integer past 64 bits, and a value that is not a number
raises ``ValueError``; both were 500s. Django's own code builds such lookups from request data (the admin's
autocomplete widget re-renders ``?parent=<huge>`` or an invalid choice that way), so the rule belongs to the
lookup, once, rather than to each caller: a value no row can have matches no row.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def get_prep_lookup(self):
        if self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if self._is_number(value)]
        return super().get_prep_lookup()

    def _is_number(self, value):
        if value is None or hasattr(value, "resolve_expression"):
            return True
        try:
            self.lhs.output_field.get_prep_value(value)
        except (TypeError, ValueError):
            return False
        return True

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            except KeyError:  # a type without a known range
                low = high = None
            self.rhs = [value for value in self.rhs if _within(value, low, high)]
        return super().process_rhs(compiler, connection)


def _within(value, low, high):
    if not isinstance(value, int):
        return True
    return (low is None or value >= low) and (high is None or value <= high)
