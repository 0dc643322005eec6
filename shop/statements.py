"""Hot statements, compiled by the ORM once per database connection and shape, then sent with each call's values.

Django builds and compiles every statement afresh: for an order's SKU read, stock UPDATE and five INSERTs that was
about a third of the request's CPU, and for a top category's listing page (a UNION of one range per subcategory,
its count, facets and cards) about half of its Python time (docs/PERFORMANCE.md), for SQL text that never
changes. Two helpers keep the text and send only new values; everything that decides what is read or written stays
Django's own code:

- ``insert(objs)`` writes new rows as ``bulk_create`` (``create=True``: as ``objects.create``) would: the values
  come from the fields' own ``pre_save`` and ``get_db_prep_save`` (skipped where it provably hands a value on as
  it is: ``_unchanged``), and the INSERT text is what Django's compiler
  wrote for the first row set of that model and size. A model, field or value it does not cover (signals listening,
  multi-table inheritance, database defaults, placeholders of a field's own, expressions as values, a backend that
  cannot return the new ids) goes through the ORM call it stands for, unchanged.
- ``Prepared(model, build)`` is one UPDATE, SELECT (model rows, ``values_list`` rows, a UNION of them) or capped
  COUNT written as an ORM queryset by ``build(*shape, *values)``: values integers from 0 to 2^31 - 1, None, or
  tuples and lists of them; any other value goes through the ORM. It is compiled twice per connection, shape and
  layout of the values (which are None, how long each list is), with two sets of stand-in integers: the SQL must
  come out the same and the parameters must differ exactly where a value went in, so a value that was folded into
  the SQL text, a constant that changes between compilations (a time) or a value that never reached the statement
  is refused at the first call (``ValueError``) instead of being sent stale. The one value Django itself writes
  into the text, a slice's ``LIMIT``/``OFFSET``, is found there by its stand-in and sent as a parameter in its
  place (the database receives the same statement). The constants are sent as compiled.

The cache is per connection (its compilers hold the connection they compiled for), per shape, and bounded
(``CAPACITY``); nothing in it depends on a request. ``tests/shop/test_statements.py`` pins that each of the
order's statements is the one the ORM would send for the same values, and the refusals;
``tests/catalog/test_listing_statements.py`` that every listing page is the ORM's, from the same statements.
"""

import functools
import re
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Count, Model, signals
from django.db.models.fields import AutoFieldMixin
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable, get_related_populators
from django.db.models.sql import UpdateQuery
from django.db.models.sql.subqueries import AggregateQuery, InsertQuery

_CACHE = "_shop_statements"
# Compiled statements kept per connection, the oldest dropped beyond it: a top category's listing statements hold
# ~24 KB each (measured, its 12-part UNIONs included), so ~25 MB a connection at most, however many shapes (sorts x
# filters x category sizes) are asked for.
CAPACITY = 1_000


def _cache_of(connection) -> dict:
    # Kept on the connection object itself (one per thread and alias): it goes with the connection, and a
    # compiler in it, which holds the connection, keeps nothing else alive (a module-level map keyed by the
    # connection kept every finished thread's connection).
    return connection.__dict__.setdefault(_CACHE, {})


def _keep(cache: dict, key, entry) -> None:
    if len(cache) >= CAPACITY:
        del cache[next(iter(cache))]  # the oldest
    cache[key] = entry


# --- INSERT -----------------------------------------------------------------------------------------------------
def insert(objs, *, create: bool = False) -> list:
    """Insert ``objs`` (new, unsaved instances of one model) in one statement and set their ids, as
    ``Model.objects.bulk_create(objs)`` does; ``create=True`` for a single object that ``Model.objects.create``
    would save (the same row; its model's ``pre_save``/``post_save`` receivers, if any ever listen, are then
    served by the ORM's own ``save``). Returns ``objs``."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    using = router.db_for_write(model, instance=objs[0])
    if create:
        assert len(objs) == 1, "create=True saves one object"
        listened = signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
        if listened or model.save is not Model.save:
            return _orm_insert(objs, create=create, using=using)
    connection = connections[using]
    cache = _cache_of(connection)
    fields = _insert_fields(meta, connection, objs)
    if fields is None:
        return _orm_insert(objs, create=create, using=using)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="save" if create else "bulk_create")
    rows = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        # An expression as a value (Now(), F()): the compiler's to resolve. pre_save gives the same again.
        return _orm_insert(objs, create=create, using=using)
    preparers = _preparers(cache, meta, fields, connection)
    params = [prepare(value) for row in rows for prepare, value in zip(preparers, row, strict=True)]
    key = ("insert", model, len(objs))
    prepared = cache.get(key)
    if prepared is None:
        prepared = _insert_compile(connection, using, model, fields, objs)
        _keep(cache, key, prepared)
    sql, returning_params, compiler, converters = prepared
    returning = meta.db_returning_fields
    with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
        cursor.execute(sql, (*params, *returning_params))
        if len(objs) == 1:
            returned = [connection.ops.fetch_returned_insert_columns(cursor, returning_params)]
        else:
            returned = connection.ops.fetch_returned_insert_rows(cursor)
    if converters:
        returned = compiler.apply_converters(returned, converters)
    returned = list(returned)
    if len(returned) != len(objs):
        raise AssertionError(f"{len(objs)} rows inserted, {len(returned)} ids returned")
    for obj, values in zip(objs, returned, strict=True):
        for value, field in zip(values, returning, strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = using
    return objs


def _orm_insert(objs, *, create: bool, using) -> list:
    """The ORM call ``insert`` stands for: ``save`` for ``create``, else ``bulk_create``."""
    if create:
        objs[0].save(force_insert=True, using=using)
    else:
        type(objs[0])._base_manager.using(using).bulk_create(objs)
    return objs


def _insert_fields(meta, connection, objs):
    """The columns Django's save and bulk_create write for these objects, or None when the fast path does not
    cover them (the caller then uses the ORM)."""
    features = connection.features
    if (
        any(obj._is_pk_set() or obj._state.adding is False for obj in objs)
        or not features.can_return_columns_from_insert
        or (len(objs) > 1 and not features.can_return_rows_from_bulk_insert)
    ):
        return None
    cache = _cache_of(connection)
    key = ("insert fields", meta.model)
    if key not in cache:
        _keep(cache, key, _model_insert_fields(meta))
    fields = cache[key]
    if fields is not None and len(objs) > 1 and connection.ops.bulk_batch_size(fields, objs) < len(objs):
        return None
    return fields


def _preparers(cache, meta, fields, connection) -> tuple:
    """For each of ``fields``, what turns a value from ``pre_save`` into the parameter sent: the field's own
    ``get_db_prep_save``, skipped for the values it provably hands back unchanged (``_unchanged``)."""
    key = ("insert preparers", meta.model)
    preparers = cache.get(key)
    if preparers is None:
        preparers = tuple(_preparer(field, connection) for field in fields)
        _keep(cache, key, preparers)
    return preparers


def _preparer(field, connection):
    prepare = functools.partial(field.get_db_prep_save, connection=connection)
    unchanged = _unchanged(field, connection)
    if unchanged is str:
        return lambda value: value if type(value) is str else prepare(value)
    if unchanged is int:
        return lambda value: value if type(value) is int else prepare(value)
    if unchanged == "id":
        return lambda value: value if type(value) is int and value > 0 else prepare(value)
    if unchanged == "utc":
        return lambda value: (
            str(value.replace(tzinfo=None)) if type(value) is datetime and value.tzinfo is UTC else prepare(value)
        )
    return prepare


def _same(cls, base, *names) -> bool:
    return all(getattr(cls, name) is getattr(base, name) for name in names)


def _unchanged(field, connection):
    """Which values Django's own ``get_db_prep_save`` of ``field`` hands on unchanged, or nearly, read from the
    code it runs: ``str`` for text fields (a str is its own ``to_python``), ``int`` for integer fields
    (``int(value)``, and the backend adapts integers as they are), ``"id"`` for a foreign key to an auto-increment
    key (an ``int`` above 0: the MySQL backend refuses 0), ``"utc"`` for a datetime in UTC on MySQL and SQLite with a
    UTC connection (their ``adapt_datetimefield_value`` is ``str()`` of it made naive); None when a method on the way
    is not Django's own (a subclass, another backend). ``tests/shop/test_statements.py`` holds each against Django's
    own result."""
    cls, ops = type(field), type(connection.ops)
    prep_chain = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")
    if any(isinstance(field, base) and _same(cls, base, *prep_chain) for base in (models.CharField, models.TextField)):
        return str
    plain_integers = _same(ops, BaseDatabaseOperations, "adapt_integerfield_value")
    if isinstance(field, models.IntegerField) and plain_integers and _same(cls, models.IntegerField, *prep_chain):
        return int
    if isinstance(field, models.ForeignKey) and _same(cls, models.ForeignKey, "get_db_prep_save"):
        target, target_cls = field.target_field, type(field.target_field)
        checks_zero_only = _same(ops, BaseDatabaseOperations, "validate_autopk_value") or (
            connection.vendor == "mysql" and _same(ops, _vendor_operations("mysql"), "validate_autopk_value")
        )
        if (
            isinstance(target, AutoFieldMixin)
            and plain_integers
            and checks_zero_only
            and _same(target_cls, AutoFieldMixin, "get_db_prep_value")
            and _same(target_cls, models.IntegerField, "get_db_prep_save", "get_prep_value")
        ):
            return "id"
    if (
        isinstance(field, models.DateTimeField)
        and _same(cls, models.DateTimeField, *prep_chain)
        and connection.vendor in ("mysql", "sqlite")
        and _same(ops, _vendor_operations(connection.vendor), "adapt_datetimefield_value")
        and connection.timezone is UTC
    ):
        return "utc"
    return None


def _vendor_operations(vendor):
    if vendor == "sqlite":
        from django.db.backends.sqlite3.operations import DatabaseOperations
    else:
        from django.db.backends.mysql.operations import DatabaseOperations
    return DatabaseOperations


def _model_insert_fields(meta):
    if meta.parents or meta.pk is not meta.auto_field or meta.order_with_respect_to:
        return None
    fields = [field for field in meta.local_concrete_fields if not field.generated and field is not meta.auto_field]
    if any(field.has_db_default() or hasattr(field, "get_placeholder") for field in fields):
        return None
    return fields


def _insert_compile(connection, using, model, fields, objs):
    """Django's own INSERT text for this model, these columns and this many rows, with its RETURNING."""
    query = InsertQuery(model)
    # raw: the compiler takes the values already on the objects (pre_save ran in ``insert``); run again it would
    # move an auto_now timestamp on the object past the one written (the first insert per connection).
    query.insert_values(fields, objs, raw=True)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = model._meta.db_returning_fields
    statements = compiler.as_sql()
    if len(statements) != 1:
        raise ValueError(f"{model.__name__}: the INSERT of {len(objs)} rows is not one statement")
    sql, params = statements[0]
    returning_params = tuple(compiler.returning_params)
    columns = [field.get_col(model._meta.db_table) for field in compiler.returning_fields]
    converters = compiler.get_converters(columns)
    return sql, returning_params, compiler, converters


# --- UPDATE and SELECT -----------------------------------------------------------------------------------------
# Stand-ins for the values at compilation: two sets, inside every integer column's range (Django turns an
# out-of-range integer lookup into "matches nothing", which would leave the value out of the SQL; a small-integer
# column's is narrower than these: a comparison with one is refused, as the SQL changes). The second set
# is spaced by another step than the first, so a value derived from one (``wanted - 1``) cannot land on another
# value's stand-in in both sets: it is refused. ``build`` uses each value as a plain operand; a branch on a value
# (``min(wanted, n)``) is beyond what two compilations can see.
_STAND_INS = ((1_900_000_000, 1), (1_800_000_000, 7))


class Prepared:
    """One UPDATE or SELECT that ``build(*shape, *values)`` writes as a queryset, compiled once per connection,
    shape and layout of the values (module docstring).

    Each value is an integer, None, or a tuple or list of those: the integers are the statement's values, the
    rest (which are None, how long each list is) its layout. ``shape`` (a keyword: a tuple of hashable
    arguments such as a sort's name or a flag) comes first among ``build``'s arguments and may change the SQL as
    it likes; it is part of the cache's key, so it must come from a small set, never from a request's values.
    A call with any other value (a string, a bool, an integer out of a column's range) goes through the ORM.

    ``update(*values)``: ``build(...).update(**update(...))``, ``update`` given at construction; returns the rows
    matched. ``list(*values)``: ``list(build(...))``, as the ORM gives them: model instances with their
    ``select_related`` rows and annotations, or ``values_list`` rows (``flat=True``: the column's values), a
    UNION's too. ``count(*values)``: ``build(...).count()`` of a sliced queryset, in the statement Django writes
    for it (``SELECT COUNT(*) FROM (...) subquery``; ``build`` selects what Django's count would, e.g.
    ``values_list("pk")``, for the very same text)."""

    def __init__(self, model, build, *, update=None):
        self.model, self.build, self.update_values = model, build, update

    # The statement for these arguments, from the ORM, as (sql, params, compiler, the queryset's iterable); not sent.
    def _compile(self, connection, terminal, arguments):
        queryset = self.build(*arguments)
        if terminal == "update":
            query = queryset.query.chain(UpdateQuery)
            query.add_update_values(self.update_values(*arguments))
            query.annotations = {}
        elif terminal == "count":
            inner = queryset.query.chain()
            inner.subquery = True
            query = AggregateQuery(self.model, inner)
            query.add_annotation(Count("*"), "__count")
        else:
            query = queryset.query
        compiler = query.get_compiler(using=connection.alias, connection=connection)
        with connection.execute_wrapper(_refuse_to_execute):
            sql, params = compiler.as_sql()
        return sql, tuple(params), compiler, queryset._iterable_class

    def _prepare(self, connection, terminal, shape, layout, count):
        key = ("prepared", id(self), terminal, shape, layout)
        cache = _cache_of(connection)
        prepared = cache.get(key)
        if prepared is not None and prepared[0] is self:
            return prepared[1]
        first, second = ([base + step * n for n in range(count)] for base, step in _STAND_INS)
        try:
            sql, params, compiler, iterable = self._compile(connection, terminal, (*shape, *_filled(layout, first)))
            sql_again, params_again, _, _ = self._compile(connection, terminal, (*shape, *_filled(layout, second)))
        except EmptyResultSet:
            # Matches nothing whatever the values (an empty IN list): Django sends no statement, nor do we.
            _keep(cache, key, (self, None))
            return None
        sql, params, bounds = _bounds_as_parameters(sql, params, first)
        sql_again, params_again, _ = _bounds_as_parameters(sql_again, params_again, second)
        name = getattr(self.build, "__qualname__", repr(self.build))
        if sql != sql_again or len(params) != len(params_again) or not sql:
            raise ValueError(f"{name}: the SQL depends on the values; it cannot be prepared")
        template = []  # per parameter: (True, the value's index) or (False, the compiled constant)
        for got, got_again in zip(params, params_again, strict=True):
            if got == got_again:
                if got in first or got in second:
                    raise ValueError(f"{name}: a constant equals a stand-in value")
                template.append((False, got))
            elif got in first and got_again == second[first.index(got)]:
                template.append((True, first.index(got)))
            else:
                raise ValueError(f"{name}: a parameter changes between compilations")
        if {index for is_value, index in template if is_value} != set(range(count)):
            raise ValueError(f"{name}: a value does not reach the statement")
        rows = None
        if terminal == "update" and compiler.query.related_updates:
            raise ValueError(f"{name}: an UPDATE of more than one table cannot be prepared")
        if terminal == "list":
            if (
                compiler.has_extra_select
                or iterable not in _Rows.ITERABLES
                or not (compiler.klass_info or iterable is not ModelIterable)
            ):
                raise ValueError(f"{name}: only a plain model or values_list SELECT can be prepared")
            rows = _Rows(compiler, connection.alias, iterable)
        prepared = (sql, tuple(template), frozenset(bounds), rows)
        # Keyed by id(self) and checked against self: a Prepared made and dropped (tests) never serves another.
        _keep(cache, key, (self, prepared))
        return prepared

    def _statement(self, terminal, using, shape, values):
        """(connection, sql, params, rows) for a call sent as prepared, or None for one the ORM makes."""
        found = []
        layout = _layout(values, found)
        if layout is None:
            return None
        connection = connections[using]
        prepared = self._prepare(connection, terminal, shape, layout, len(found))
        if prepared is None:
            return None
        sql, template, bounds, rows = prepared
        if any(found[index] == 0 for index in bounds):
            return None  # Django writes no LIMIT 0 (it sends nothing) or OFFSET 0
        return connection, sql, tuple(found[part] if is_value else part for is_value, part in template), rows

    def update(self, *values, shape=()) -> int:
        using = router.db_for_write(self.model)
        statement = self._statement("update", using, shape, values)
        if statement is None:
            return self.build(*shape, *values).update(**self.update_values(*shape, *values))
        connection, sql, params, _rows = statement
        with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def list(self, *values, shape=()) -> list:
        statement = self._statement("list", router.db_for_read(self.model), shape, values)
        if statement is None:
            return list(self.build(*shape, *values))
        connection, sql, params, rows = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return rows.of(cursor.fetchall())

    def count(self, *values, shape=()) -> int:
        statement = self._statement("count", router.db_for_read(self.model), shape, values)
        if statement is None:
            return self.build(*shape, *values).count()
        connection, sql, params, _rows = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.fetchone()[0])


# Values a prepared statement takes: integers every integer column holds. Another value (a string, a bool, a number
# out of a column's range, which Django turns into "matches nothing" or "matches all") goes through the ORM.
_INTEGER_RANGE = range(0, 2_147_483_648)


def _layout(values, found: list):
    """``values``' layout, each integer replaced by ``int`` and appended to ``found``; None when a value is neither
    such an integer, None, nor a tuple or list of them."""
    layout = []
    for value in values:
        kind = type(value)
        if kind is int and value in _INTEGER_RANGE:
            found.append(value)
            layout.append(int)
        elif value is None:
            layout.append(None)
        elif kind is tuple or kind is list:
            inner = _layout(value, found)
            if inner is None:
                return None
            layout.append((kind, inner))
        else:
            return None
    return tuple(layout)


def _filled(layout, values) -> list:
    """The values of ``layout``, its integers taken in turn from ``values``."""
    values, filled = iter(values), []
    for part in layout:
        if part is int:
            filled.append(next(values))
        elif part is None:
            filled.append(None)
        else:
            kind, inner = part
            filled.append(kind(_filled(inner, values)))
    return filled


# Django writes a slice's bounds into the SQL text itself (``LIMIT 20 OFFSET 40``), never as a parameter.
_BOUND = re.compile(r"\b(?:LIMIT|OFFSET) (\d+)\b")
_PLACEHOLDER = re.compile(r"%[%s]")


def _bounds_as_parameters(sql, params, stand_ins):
    """``sql`` with each slice bound that is one of ``stand_ins`` made a placeholder, and that value put among
    ``params`` where the placeholder takes it; and the indexes of the values that were bounds."""
    params, pieces, bounds, start, before = list(params), [], set(), 0, 0
    for match in _BOUND.finditer(sql):
        number = int(match[1])
        if number not in stand_ins:
            continue
        text = sql[start : match.start(1)]
        before += _PLACEHOLDER.findall(text).count("%s") + 1
        params.insert(before - 1, number)
        pieces += [text, "%s"]
        bounds.add(stand_ins.index(number))
        start = match.end(1)
    return "".join([*pieces, sql[start:]]), tuple(params), bounds


def _refuse_to_execute(execute, sql, params, many, context):
    raise ValueError(f"compiling a prepared statement ran a query: {sql}")


class _Rows:
    """How the ORM's iterable turns the compiled SELECT's rows into results, worked out once with the statement:
    ``ModelIterable``'s instances (select_related rows and annotations included; a prepared queryset has no known
    related objects), ``values_list``'s tuples, or with ``flat=True`` the one column's values."""

    ITERABLES = (ModelIterable, ValuesListIterable, FlatValuesListIterable)

    def __init__(self, compiler, using, iterable):
        self.using, self.iterable = using, iterable
        select = compiler.select
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        # Kept only to convert values: with the query it compiled (a UNION's parts and all), it is most of the memory
        # a statement holds.
        self.compiler = compiler if self.converters else None
        if iterable is ModelIterable:
            klass_info = compiler.klass_info
            self.model = klass_info["model"]
            self.start, self.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
            self.related_populators = get_related_populators(klass_info, select, using)
            self.annotations = list(compiler.annotation_col_map.items())

    def of(self, rows) -> list:
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.iterable is ValuesListIterable:
            return [tuple(row) for row in rows]
        objs = []
        for row in rows:
            obj = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objs.append(obj)
        return objs
