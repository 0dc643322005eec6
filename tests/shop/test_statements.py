"""The order's statements compiled once (shop.statements) are the ones the ORM would send for the same values, with
each call's own values: never a previous call's SQL or parameters, never a different row written or read."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.db import connection, connections, models, transaction
from django.db.models import F
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from catalog import stock
from catalog.models import Product, Sku, StockMovement
from notifications.models import OrderEmail
from orders import cart
from orders.models import Order, OrderEvent, OrderLine
from shop import statements
from tests.factories import OrderFactory, ProductFactory, UserFactory, product_with_options, sku_of

pytestmark = pytest.mark.django_db


class Sent:
    """The (sql, params) of every statement sent to the database inside the block."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self.statements

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


def _rolled_back(action):
    """What ``action`` sent, its effect undone."""
    with transaction.atomic(), Sent() as sent:
        action()
        transaction.set_rollback(True)
    return sent


def _sku(stock):
    return sku_of(ProductFactory(stock=stock))


# --- Prepared UPDATE and SELECT -----------------------------------------------------------------------------------
def test_the_stock_update_is_the_orms_statement_with_each_calls_own_values():
    first, second = _sku(50), _sku(50)
    # Equal values, swapped values, a value equal to the other's: a cached statement filled from the wrong
    # call or position would show here.
    for sku_id, wanted in [(first.id, 1), (second.id, 3), (first.id, first.id), (second.id, 2), (first.id, 7)]:
        orm = _rolled_back(
            lambda s=sku_id, w=wanted: Sku.objects.filter(id=s, is_active=True, stock__gt=w).update(
                stock=F("stock") - w
            )
        )
        prepared = _rolled_back(lambda s=sku_id, w=wanted: stock._TAKE_LEAVING_SOME.update(s, w))
        assert prepared == orm and len(orm) == 1
        assert sku_id in orm[0][1] and wanted in orm[0][1]


def test_the_stock_update_takes_from_the_sku_named_and_only_while_stock_is_left():
    first, second = _sku(5), _sku(5)
    assert stock._TAKE_LEAVING_SOME.update(first.id, 2) == 1
    assert stock._TAKE_LEAVING_SOME.update(second.id, 4) == 1
    assert stock._TAKE_LEAVING_SOME.update(first.id, 3) == 0  # 3 left: taking 3 leaves none
    assert stock._TAKE.update(first.id, 3) == 1
    assert stock._TAKE.update(first.id, 1) == 0
    assert dict(Sku.objects.filter(id__in=[first.id, second.id]).values_list("id", "stock")) == {
        first.id: 0,
        second.id: 1,
    }


def _fields(obj):
    return {name: value for name, value in vars(obj).items() if not name.startswith("_")}


def test_the_sku_read_is_the_orms_statement_and_the_same_instances():
    plain = ProductFactory(stock=4)
    shirt = product_with_options(options={"색상": ["블랙", "화이트"]}, stock=2)
    hidden = ProductFactory(stock=3, status=Product.Status.HIDDEN)
    black = sku_of(shirt, "블랙")
    for ids in [
        (sku_of(plain).id,),
        (black.id, sku_of(plain).id),
        (sku_of(plain).id, sku_of(hidden).id, black.id),
        (black.id,),
    ]:
        orm = _rolled_back(lambda ids=ids: cart._visible_skus().in_bulk(list(ids)))
        with Sent() as prepared:
            skus = cart.cart_skus(ids)
        assert prepared[:1] == orm[:1]
        expected = cart._visible_skus().in_bulk(list(ids))
        assert list(skus) == list(expected) and sku_of(hidden).id not in skus
        for sku_id, sku in skus.items():
            assert _fields(sku) == _fields(expected[sku_id])
            assert _fields(sku.product) == _fields(expected[sku_id].product)
    with Sent() as after:
        assert skus[black.id].product.name == shirt.name and skus[black.id].option_label == "블랙"
    assert after == []


def test_a_value_that_is_not_a_small_non_negative_integer_goes_through_the_orm():
    plain = ProductFactory(stock=4)
    sku_id = sku_of(plain).id
    assert list(cart.cart_skus([str(sku_id)])) == [sku_id]
    assert list(cart._VISIBLE_SKUS.list(str(sku_id))) == [sku_of(plain)]
    # Out of a column's range, Django leaves a condition out ("stock > -1" always holds) or the row unmatched:
    # whatever it sends, the prepared statement sends the same.
    for wanted in (-1, 2**40):
        orm = _rolled_back(
            lambda w=wanted: Sku.objects.filter(id=sku_id, is_active=True, stock__gt=w).update(stock=F("stock") - w)
        )
        assert _rolled_back(lambda w=wanted: stock._TAKE_LEAVING_SOME.update(sku_id, w)) == orm
    orm = _rolled_back(lambda: list(cart._visible_skus(2**40)))
    assert _rolled_back(lambda: cart._VISIBLE_SKUS.list(2**40)) == orm


def test_a_statement_whose_sql_or_constants_depend_on_the_call_is_refused():
    branching = statements.Prepared(Sku, lambda n: Sku.objects.filter(stock__gte=n).order_by("id" if n % 3 else "-id"))
    with pytest.raises(ValueError, match="SQL depends on the values"):
        branching.list(3)
    bound_derived = statements.Prepared(Sku, lambda n: Sku.objects.filter(stock__gte=n)[: n + 1])
    with pytest.raises(ValueError, match="SQL depends on the values"):
        bound_derived.list(3)
    timed = statements.Prepared(
        Order, lambda order_id: Order.objects.filter(id=order_id, created_at__lt=timezone.now())
    )
    with pytest.raises(ValueError, match="changes between compilations"):
        timed.list(1)
    unused = statements.Prepared(Sku, lambda sku_id, wanted: Sku.objects.filter(id=sku_id))
    with pytest.raises(ValueError, match="does not reach the statement"):
        unused.list(1, 2)


def test_each_prepared_statement_keeps_its_own_sql():
    plain = ProductFactory(stock=4)
    by_stock = statements.Prepared(Sku, lambda wanted: Sku.objects.filter(stock__gte=wanted))
    by_id = statements.Prepared(Sku, lambda sku_id: Sku.objects.filter(id=sku_id))
    assert by_stock.list(100) == []
    assert by_id.list(sku_of(plain).id) == [sku_of(plain)]
    assert by_stock.list(4) == [sku_of(plain)]


# --- SELECTs beyond a model's rows: values_list, UNION, slices, counts, layouts and shapes -------------------------
def _executed(action):
    """What ``action`` returned and the statements the database received (values in place, as its log shows them)."""
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return result, [query["sql"] for query in queries.captured_queries]


def _check(statement, *values, shape=(), method="list", prepared=True):
    """Prepared and through the ORM, ``statement`` returns the same from the same statements; returns that.
    ``prepared``: whether the call is sent as a prepared statement (else the ORM makes it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statements.Prepared, "_statement", lambda *args: None)  # nothing can be prepared
        orm = _executed(lambda: getattr(statement, method)(*values, shape=shape))
    sent, original = [], statements.Prepared._statement
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statements.Prepared, "_statement", lambda *args: sent.append(original(*args)) or sent[-1])
        result = _executed(lambda: getattr(statement, method)(*values, shape=shape))
    assert result == orm
    assert (sent[-1] is not None) == prepared
    return result[0]


def test_a_slice_bound_is_a_value_sent_in_the_statement_the_orm_writes():
    skus = [_sku(stock) for stock in (5, 3, 9, 1)]
    newest = statements.Prepared(Sku, lambda minimum, n: Sku.objects.filter(stock__gte=minimum).order_by("-id")[:n])
    for minimum, n in [(0, 2), (0, 3), (2, 1), (0, 2), (4, 4)]:
        ids = [sku.id for sku in _check(newest, minimum, n)]
        assert ids == [sku.id for sku in sorted(skus, key=lambda s: -s.id) if sku.stock >= minimum][:n]
    # [:0] matches nothing and the ORM sends no statement: neither does the prepared call.
    assert _check(newest, 0, 0, prepared=False) == []


def test_values_list_rows_and_a_union_of_them_are_the_orms():
    skus = [_sku(stock) for stock in (5, 3, 9)]
    ids = [sku.id for sku in skus]
    flat = statements.Prepared(
        Sku, lambda ids: Sku.objects.filter(id__in=ids).order_by("id").values_list("id", flat=True)
    )
    assert _check(flat, ids) == ids
    pairs = statements.Prepared(
        Sku, lambda ids: Sku.objects.filter(id__in=ids).order_by("id").values_list("id", "stock")
    )
    assert _check(pairs, ids[:2]) == [(ids[0], 5), (ids[1], 3)]

    def either(first, second):
        parts = [Sku.objects.filter(id=sku_id).order_by().values_list("id", "stock") for sku_id in (first, second)]
        return parts[0].union(parts[1], all=True).order_by("-stock")

    union = statements.Prepared(Sku, either)
    assert _check(union, ids[0], ids[2]) == [(ids[2], 9), (ids[0], 5)]
    assert _check(union, ids[1], ids[1]) == [(ids[1], 3), (ids[1], 3)]


def test_a_count_of_a_sliced_queryset_is_the_orms_statement_and_number():
    for units in (5, 3, 9, 0):
        _sku(units)
    capped = statements.Prepared(
        Sku, lambda minimum, cap: Sku.objects.filter(stock__gte=minimum).order_by().values_list("pk")[:cap]
    )
    assert [_check(capped, minimum, cap, method="count") for minimum, cap in [(1, 10), (1, 2), (4, 10), (10, 5)]] == [
        3, 2, 2, 0,
    ]  # fmt: skip


def test_each_layout_of_values_and_each_shape_is_its_own_statement():
    skus = [_sku(stock) for stock in (5, 3, 9)]
    ids = [sku.id for sku in skus]

    def build(order, ids, minimum):
        queryset = Sku.objects.filter(id__in=ids).order_by(order)
        return queryset if minimum is None else queryset.filter(stock__gte=minimum)

    statement = statements.Prepared(Sku, build)
    calls = [
        (("id",), (ids, None), ids),
        (("id",), (ids[:2], 4), ids[:1]),
        (("-stock",), (ids, 4), [ids[2], ids[0]]),
        (("id",), (ids, 4), [ids[0], ids[2]]),
        (("-stock",), ((ids[1], ids[0]), None), [ids[0], ids[1]]),  # a tuple as a list
        (("id",), ((ids[2], None), None), [ids[2]]),  # Django leaves a None out of IN
    ]
    for shape, values, expected in calls:
        assert [sku.id for sku in _check(statement, *values, shape=shape)] == expected
    # An empty IN list matches nothing whatever the values: the ORM sends no statement, nor does the call.
    assert _check(statement, [], None, shape=("id",), prepared=False) == []


def test_a_string_anywhere_among_the_values_sends_the_call_through_the_orm():
    sku = _sku(4)
    by_ids = statements.Prepared(Sku, lambda ids: Sku.objects.filter(id__in=ids))
    compiled = statements._cache_of(connections["default"])
    compiled.clear()
    assert by_ids.list([str(sku.id)]) == [sku] and compiled == {}
    assert by_ids.list([sku.id]) == [sku] and compiled != {}


def test_beyond_the_capacity_the_oldest_statement_is_dropped_and_compiled_again_when_asked_for(monkeypatch):
    skus = [_sku(4) for _ in range(3)]
    compiled = statements._cache_of(connections["default"])
    compiled.clear()
    monkeypatch.setattr(statements, "CAPACITY", 2)
    by_ids = statements.Prepared(Sku, lambda ids: Sku.objects.filter(id__in=ids).order_by("id"))
    for count in (1, 2, 3, 1, 3):
        assert _check(by_ids, [sku.id for sku in skus[:count]]) == skus[:count]
        assert len(compiled) <= 2
    assert [len(key[-1][0][1]) for key in compiled] == [3, 1]  # three ids, then one: the last two kept


# --- INSERT ---------------------------------------------------------------------------------------------------------
def _row(model, pk, *, ignore=("id", "created_at", "updated_at", "number", "event_key", "order_id")):
    row = model.objects.filter(pk=pk).values().get()
    return {name: value for name, value in row.items() if name not in ignore}


def _sql(sent):
    """The INSERTs' text (bulk_create outside a transaction opens one of its own: SQLite's BEGIN is a statement)."""
    return [sql for sql, _params in sent if sql.startswith("INSERT")]


@pytest.mark.django_db(transaction=True)
def test_an_inserted_row_is_the_row_the_orm_writes():
    user = UserFactory()
    order_values = {
        "user": user, "subtotal": 12900, "total": 15900, "shipping_fee": 3000, "recipient": "김하늘",
        "phone": "010-1234-5678", "postal_code": "06236", "address": "서울 강남구 테헤란로 1",
        "payment_due_at": timezone.now(),
    }  # fmt: skip
    with transaction.atomic(), Sent() as by_orm:
        made = Order.objects.create(number="ORM-1", **order_values)
    with transaction.atomic(), Sent() as by_insert:
        inserted = statements.insert([Order(number="FAST-1", **order_values)], create=True)[0]
    assert _sql(by_insert) == _sql(by_orm)
    assert inserted.pk and inserted.pk != made.pk and not inserted._state.adding and inserted._state.db == "default"
    assert _row(Order, inserted.pk) == _row(Order, made.pk)
    assert Order.objects.get(pk=inserted.pk).created_at == inserted.created_at

    with transaction.atomic(), Sent() as by_orm:
        orm_event = OrderEvent.objects.create(order=made, to_status=Order.Status.PENDING_PAYMENT, actor=user)
        orm_email = OrderEmail.objects.create(order=made, kind="placed", event_key="a", to="a@example.com", context={})
    with transaction.atomic(), Sent() as by_insert:
        event = statements.insert([OrderEvent(order=inserted, to_status="pending_payment", actor=user)], create=True)
        email = OrderEmail(order=inserted, kind="placed", event_key="b", to="a@example.com", context={})
        statements.insert([email], create=True)
    assert _sql(by_insert) == _sql(by_orm)
    assert _row(OrderEvent, event[0].pk) == _row(OrderEvent, orm_event.pk)
    assert _row(OrderEmail, email.pk) == _row(OrderEmail, orm_email.pk)


@pytest.mark.django_db(transaction=True)
def test_several_rows_are_one_insert_like_bulk_create_each_with_its_own_id():
    order = OrderFactory()
    skus = [_sku(4) for _ in range(3)]

    def lines():
        return [
            OrderLine(order=order, product_id=sku.product_id, sku_id=sku.id, product_name=f"상품 {n}", unit_price=n,
                      quantity=n + 1)
            for n, sku in enumerate(skus)
        ]  # fmt: skip

    with Sent() as by_orm:
        made = OrderLine.objects.bulk_create(lines())
    for count in (3, 1, 3):  # one statement kept per number of rows
        with Sent() as by_insert:
            inserted = statements.insert(lines()[:count])
        assert len(by_insert) == 1
        if count == 3:
            assert _sql(by_insert) == _sql(by_orm)
        assert len({line.pk for line in inserted}) == count and all(line.pk for line in inserted)
        for line, orm_line in zip(inserted, made, strict=False):
            assert _row(OrderLine, line.pk) == _row(OrderLine, orm_line.pk)
    movements = statements.insert(StockMovement(sku_id=sku.id, delta=-1, reason="order") for sku in skus)
    assert list(StockMovement.objects.filter(pk__in=[m.pk for m in movements]).values_list("sku_id", flat=True)) == [
        sku.id for sku in reversed(skus)
    ]  # StockMovement's default order: newest first


def test_an_insert_refused_by_a_unique_key_raises_and_leaves_the_transaction_usable_as_the_orm_does():
    from django.db import IntegrityError

    from shop.transactions import single_insert

    made = OrderFactory()
    with transaction.atomic():
        with pytest.raises(IntegrityError), single_insert():
            statements.insert([Order(number=made.number, user=made.user, total=1)], create=True)
        assert not transaction.get_rollback()
        second = statements.insert([Order(number="NEW-1", user=made.user, total=1)], create=True)[0]
    assert Order.objects.filter(pk=second.pk).exists()


def test_a_model_with_a_pre_save_receiver_is_saved_by_the_orm_so_the_receiver_runs():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.to_status)

    pre_save.connect(receiver, sender=OrderEvent)
    try:
        event = statements.insert([OrderEvent(order=OrderFactory(), to_status="paid")], create=True)[0]
    finally:
        pre_save.disconnect(receiver, sender=OrderEvent)
    assert seen == ["paid"] and OrderEvent.objects.filter(pk=event.pk).exists()


# Found in review: each of these failed before its fix.


def test_the_first_insert_on_a_connection_keeps_the_timestamps_it_wrote():
    statements._cache_of(connections["default"]).clear()  # a fresh connection: nothing compiled on it yet
    with transaction.atomic():
        order = statements.insert(
            [Order(number="REVIEW-1", user=UserFactory(), total=1, payment_due_at=timezone.now())], create=True
        )[0]
    row = Order.objects.values("created_at", "updated_at").get(pk=order.pk)
    assert (order.created_at, order.updated_at) == (row["created_at"], row["updated_at"])


def test_a_value_derived_from_another_is_refused_not_sent_in_its_place():
    sku = sku_of(ProductFactory(stock=3))
    Sku.objects.filter(id=sku.id).update(stock=sku.id + 1)  # stock > sku_id holds
    wanted = sku.id + 5  # more than there is
    take = statements.Prepared(
        Sku,
        lambda sku_id, wanted: Sku.objects.filter(id=sku_id, stock__gt=wanted - 1),
        update=lambda sku_id, wanted: {"stock": F("stock") - wanted},
    )
    with pytest.raises(ValueError):
        take.update(sku.id, wanted)
    sku.refresh_from_db()
    assert sku.stock == sku.id + 1


@pytest.mark.django_db(transaction=True)
def test_a_finished_threads_connection_is_freed_with_its_statements():
    import gc
    import threading
    import weakref

    kept = {}

    def run():
        try:
            cart._VISIBLE_SKUS.list(1)
        finally:
            kept["connection"] = weakref.ref(connections["default"])
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    gc.collect()
    assert kept["connection"]() is None


# --- The values sent ----------------------------------------------------------------------------------------------
def _samples(field):
    """Values an order's rows hold in ``field``, and the ones at the edges of each fast path."""
    now = timezone.now()
    common = [None]
    if field.is_relation:
        return [*common, 1, 2_147_483_647, 0, "7", True]
    if isinstance(field, models.DateTimeField):
        seoul = zoneinfo.ZoneInfo("Asia/Seoul")
        return [*common, now, now.astimezone(seoul), now.replace(microsecond=0), datetime(2026, 12, 2, tzinfo=UTC)]
    if isinstance(field, models.JSONField):
        return [*common, {}, {"reason": "이유"}]
    if isinstance(field, models.IntegerField):
        return [*common, 0, 1, -3, 12_900, 2**40, True, "5", Order.Status.PAID]
    return [*common, "", "김하늘", "a" * 200, Order.Status.PAID, gettext_lazy("Paid"), 5]


def _prepared_by_django(field, value):
    try:
        return "value", field.get_db_prep_save(value, connection=connection)
    except Exception as exc:  # the fast path must refuse the same way
        return "error", type(exc)


def _prepared_by_statements(field, value):
    try:
        return "value", statements._preparer(field, connection)(value)
    except Exception as exc:
        return "error", type(exc)


@pytest.mark.parametrize("model", [Order, OrderEvent, OrderLine, OrderEmail, StockMovement])
def test_each_value_an_insert_sends_is_what_djangos_own_field_would_send(model):
    for field in statements._model_insert_fields(model._meta):
        for value in _samples(field):
            django, fast = _prepared_by_django(field, value), _prepared_by_statements(field, value)
            assert fast == django and type(fast[1]) is type(django[1]), (model.__name__, field.name, value)


def test_the_order_rows_common_values_take_the_fast_path():
    """The order's own fields are the ones the shortcuts were written for: text, integers, keys, UTC times."""
    taken = {
        field.name: statements._unchanged(field, connection) for field in statements._model_insert_fields(Order._meta)
    }
    assert taken["number"] is str and taken["total"] is int and taken["user"] == "id"
    assert taken["created_at"] == "utc"


def test_a_field_subclass_with_its_own_conversion_goes_through_it():
    class Upper(models.CharField):
        def get_prep_value(self, value):
            return super().get_prep_value(value).upper()

    field = Upper(max_length=10)
    field.set_attributes_from_name("code")
    assert statements._unchanged(field, connection) is None
    assert statements._preparer(field, connection)("abc") == "ABC"
