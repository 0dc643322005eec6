"""The order's hot statements, compiled by the ORM once per database connection and then sent with each call's values.

Django builds and compiles every statement afresh: for an order's SKU read, stock UPDATE and five INSERTs that was
about a third of the request's CPU (docs/PERFORMANCE.md), for SQL text that never changes. Two helpers keep the
text and send only new values; everything that decides what is written stays Django's own code:

- ``insert(objs)`` writes new rows as ``bulk_create`` (``create=True``: as ``objects.create``) would: the values
  come from the fields' own ``pre_save`` and ``get_db_prep_save``, and the INSERT text is what Django's compiler
  wrote for the first row set of that model and size. A model, field or value it does not cover (signals listening,
  multi-table inheritance, database defaults, placeholders of a field's own, expressions as values, a backend that
  cannot return the new ids) goes through the ORM call it stands for, unchanged.
- ``Prepared(model, build)`` is one UPDATE or SELECT written as an ORM queryset by ``build(*values)`` (values
  integers from 0 to 2^31 - 1; any other value goes through the ORM).
  It is compiled twice per connection and number of values, with two sets of stand-in integers: the SQL must come
  out the same and the parameters must differ exactly where a value went in, so a value that was folded into the
  SQL text, a constant that changes between compilations (a time) or a value that never reached the statement is
  refused at the first call (``ValueError``) instead of being sent stale. The constants are sent as compiled.

The cache is per connection (its compilers hold the connection they compiled for) and per shape; nothing in it
depends on a request. ``tests/shop/test_statements.py`` pins that each of the order's statements is the one the
ORM would send for the same values, and the refusals.
"""

from django.db import connections, router, transaction
from django.db.models import Model, signals
from django.db.models.query import get_related_populators
from django.db.models.sql import UpdateQuery
from django.db.models.sql.subqueries import InsertQuery

_CACHE = "_shop_statements"


def _cache_of(connection) -> dict:
    # Kept on the connection object itself (one per thread and alias): it goes with the connection, and a
    # compiler in it, which holds the connection, keeps nothing else alive (a module-level map keyed by the
    # connection kept every finished thread's connection).
    return connection.__dict__.setdefault(_CACHE, {})


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
    fields = _insert_fields(meta, connection, objs)
    if fields is None:
        return _orm_insert(objs, create=create, using=using)
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="save" if create else "bulk_create")
    rows = [[field.pre_save(obj, True) for field in fields] for obj in objs]
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        # An expression as a value (Now(), F()): the compiler's to resolve. pre_save gives the same again.
        return _orm_insert(objs, create=create, using=using)
    params = [
        field.get_db_prep_save(value, connection=connection)
        for row in rows
        for field, value in zip(fields, row, strict=True)
    ]
    key = ("insert", model, tuple(field.attname for field in fields), len(objs))
    cache = _cache_of(connection)
    prepared = cache.get(key)
    if prepared is None:
        prepared = cache[key] = _insert_compile(connection, using, model, fields, objs)
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
        cache[key] = _model_insert_fields(meta)
    fields = cache[key]
    if fields is not None and len(objs) > 1 and connection.ops.bulk_batch_size(fields, objs) < len(objs):
        return None
    return fields


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
# out-of-range integer lookup into "matches nothing", which would leave the value out of the SQL). The second set
# is spaced by another step than the first, so a value derived from one (``wanted - 1``) cannot land on another
# value's stand-in in both sets: it is refused. ``build`` uses each value as a plain operand; a branch on a value
# (``min(wanted, n)``) is beyond what two compilations can see.
_STAND_INS = ((1_900_000_000, 1), (1_800_000_000, 7))


class Prepared:
    """One UPDATE or SELECT that ``build(*values)`` writes as a queryset, each value an integer, compiled once per
    connection and number of values (module docstring).

    ``update(*values)``: ``build(*values).update(**update(*values))``, ``update`` given at construction; returns
    the rows matched. ``list(*values)``: ``list(build(*values))``, model instances with
    their ``select_related`` rows and annotations, as the ORM gives them."""

    def __init__(self, model, build, *, update=None):
        self.model, self.build, self.update_values = model, build, update

    # The statement for these values, from the ORM, as (sql, params, compiler); not sent.
    def _compile(self, connection, values):
        queryset = self.build(*values)
        if self.update_values is not None:
            query = queryset.query.chain(UpdateQuery)
            query.add_update_values(self.update_values(*values))
            query.annotations = {}
        else:
            query = queryset.query
        compiler = query.get_compiler(connection=connection)
        with connection.execute_wrapper(_refuse_to_execute):
            sql, params = compiler.as_sql()
        return sql, tuple(params), compiler

    def _prepare(self, connection, count):
        key = ("prepared", id(self), count)
        cache = _cache_of(connection)
        prepared = cache.get(key)
        if prepared is not None and prepared[0] is self:
            return prepared[1:]
        first, second = ([base + step * n for n in range(count)] for base, step in _STAND_INS)
        sql, params, compiler = self._compile(connection, first)
        sql_again, params_again, _ = self._compile(connection, second)
        if sql != sql_again or len(params) != len(params_again) or not sql:
            raise ValueError(f"{self.build.__qualname__}: the SQL depends on the values; it cannot be prepared")
        template = []  # per parameter: (True, the value's index) or (False, the compiled constant)
        for got, got_again in zip(params, params_again, strict=True):
            if got == got_again:
                if got in first or got in second:
                    raise ValueError(f"{self.build.__qualname__}: a constant equals a stand-in value")
                template.append((False, got))
            elif got in first and got_again == second[first.index(got)]:
                template.append((True, first.index(got)))
            else:
                raise ValueError(f"{self.build.__qualname__}: a parameter changes between compilations")
        if {index for is_value, index in template if is_value} != set(range(count)):
            raise ValueError(f"{self.build.__qualname__}: a value does not reach the statement")
        if self.update_values is not None and compiler.query.related_updates:
            raise ValueError(f"{self.build.__qualname__}: an UPDATE of more than one table cannot be prepared")
        if self.update_values is None and (compiler.has_extra_select or not compiler.klass_info):
            raise ValueError(f"{self.build.__qualname__}: only a plain model SELECT can be prepared")
        prepared = (sql, tuple(template), None if self.update_values is not None else _Rows(compiler, connection.alias))
        # Keyed by id(self) and checked against self: a Prepared made and dropped (tests) never serves another.
        cache[key] = (self, *prepared)
        return prepared

    def _params(self, template, values):
        return tuple(values[part] if is_value else part for is_value, part in template)

    def update(self, *values) -> int:
        if not _integers(values):
            return self.build(*values).update(**self.update_values(*values))
        using = router.db_for_write(self.model)
        connection = connections[using]
        sql, template, _rows = self._prepare(connection, len(values))
        with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
            cursor.execute(sql, self._params(template, values))
            return cursor.rowcount

    def list(self, *values) -> list:
        if not _integers(values):
            return list(self.build(*values))
        using = router.db_for_read(self.model)
        connection = connections[using]
        sql, template, rows = self._prepare(connection, len(values))
        with connection.cursor() as cursor:
            cursor.execute(sql, self._params(template, values))
            return rows.models(cursor.fetchall())


# Values a prepared statement takes: integers every integer column holds. Another value (None, a string, a number
# out of a column's range, which Django turns into "matches nothing" or "matches all") goes through the ORM.
_INTEGER_RANGE = range(0, 2_147_483_648)


def _integers(values) -> bool:
    return all(type(value) is int and value in _INTEGER_RANGE for value in values)


def _refuse_to_execute(execute, sql, params, many, context):
    raise ValueError(f"compiling a prepared statement ran a query: {sql}")


class _Rows:
    """How ``ModelIterable`` turns the compiled SELECT's rows into instances (select_related rows and annotations
    included; a prepared queryset has no known related objects), worked out once with the statement."""

    def __init__(self, compiler, using):
        self.compiler, self.using = compiler, using
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        select = compiler.select
        self.start, self.end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.related_populators = get_related_populators(klass_info, select, using)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])

    def models(self, rows) -> list:
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        objs = []
        for row in rows:
            obj = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objs.append(obj)
        return objs
