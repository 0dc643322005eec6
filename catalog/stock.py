"""The one owner of ``Sku.stock``: every change is a delta, a conditional UPDATE and a ``StockMovement`` row.

Orders take and give back stock here, refunds give it back, staff adjust it (by a delta, or to a counted
target applied as a delta), imports add to it. Nothing else writes the column, so a form opened before a sale
can never put sold units back, and a SKU's movements always sum to its stock.

Two guards, so neither alone has to be perfect:

1. Per-SKU Redis locks (python-redis-lock), always taken in ascending SKU id order, so two orders sharing SKUs
   queue instead of deadlocking; held only around the stock UPDATEs, whose row locks then keep the stock until
   the COMMIT. They expire (``STOCK_LOCK_EXPIRE_SECONDS``) and are renewed while held.
2. Inside them a conditional ``UPDATE ... SET stock = stock - n WHERE stock >= n``: even a lock that expired
   or was lost cannot oversell. Without ``STOCK_LOCK_REDIS_URL`` (the embedded default) this guard serves alone.
   The UPDATE filters on the SKU's own columns only: a filter through the product would make Django on MySQL
   select the ids first and update by id, and the ``stock >= n`` would no longer be part of the UPDATE.

Giving stock back (``stock_return``) takes no Redis lock: an increment cannot oversell, and expiry must work
while Redis is away.

The stock also decides ``Product.is_available`` (on sale with an active SKU in stock), which listings read
through an index; this module is its only writer, in the stock change's own transaction:

- Stock arriving (a return, a positive adjustment) can only make its product available: one UPDATE that sets
  the flag when one of *these* SKUs, locked by this transaction's own UPDATE, is active with stock, and holds
  the product row to the COMMIT. Reading only rows this transaction holds keeps it right whatever runs beside
  it, and a sale emptying another SKU meanwhile waits for the row and recomputes after.
- Stock leaving makes a product unavailable only when a SKU reached zero (one read of the taken SKUs). Then
  ``availability_refresh`` locks the product rows (ascending id) and recomputes from every SKU in a statement
  that starts after the lock is held: under READ COMMITTED it sees every sale committed before, and a sale
  committing after must wait for the same lock and recompute in turn. Two buyers emptying two SKUs of one
  product at once therefore cannot both see the other's SKU still in stock.
- A status or SKU change (publishing, hiding, deactivating a SKU) calls ``availability_refresh`` too.

A third, cheaper gate in front of both, for the day a thousand buyers press 구매 on a hundred units: a SKU seen
at zero stock gets a **sold-out flag** in Redis, and while it stands an order for that SKU is refused with one
Redis read, before any query, transaction or lock. It can never refuse a buyer while stock remains: every
increment clears it after its commit, and a flag is only written if no increment happened since the buyer
read the SKU's generation counter (checked and written in one Redis script). It also expires by itself
(``STOCK_SOLD_OUT_FLAG_SECONDS``) in case a clearing was lost with Redis.

An order asks Redis for the flag only while this process remembers one of its SKUs flagged
(``stock_sold_out_check_hinted``): on an ordinary day no order pays that round trip. A process that does not know
of a flag yet refuses its first buyer of the SKU at the checkout's first read (before the checkout opens its
transaction, no lock), then learns the flag, reading the generation before the stock again
(``stock_sold_out_flag_empty``), so from its next buyer on it refuses with the one Redis read.
"""

import logging
import os
import threading
import time
from functools import lru_cache

import redis
import redis_lock
from django.conf import settings
from django.db import transaction
from django.db.models import F

from shop import metrics, statements
from shop.replicas import primary_reads
from wishlist import services as restock

from .exceptions import NegativeStock, OutOfStock, ShortLine, StockBusy, StockUnavailable
from .models import Product, Sku, StockMovement

logger = logging.getLogger(__name__)


class _Renewer:
    """One thread per process extends every held stock lock while it is held.

    python-redis-lock's own auto-renewal starts a thread at each acquire and joins it at release; both wait for
    the GIL inside the critical section, which under load stretched every order's hold on a hot product by
    milliseconds. A lock whose renewal fails (Redis gone, lock already expired) is dropped from the set: the
    conditional UPDATE keeps the stock right, and the release says what happened.
    """

    def __init__(self):
        self.locks, self.mutex, self.pid = set(), threading.Lock(), None
        self.wakeup, self.sleeping_for = threading.Event(), 0.0

    def add(self, lock):
        with self.mutex:
            self.locks.add(lock)
            if self.pid != os.getpid():  # first use in this process (gunicorn forks after import)
                self.pid = os.getpid()
                threading.Thread(target=self._run, daemon=True).start()
            if lock._lock_renewal_interval < self.sleeping_for:
                self.wakeup.set()  # it would expire before the current nap ends

    def discard(self, lock):
        with self.mutex:
            self.locks.discard(lock)

    def _run(self):
        while True:
            with self.mutex:
                self.sleeping_for = min((lock._lock_renewal_interval for lock in self.locks), default=1.0)
            if self.wakeup.wait(self.sleeping_for):
                self.wakeup.clear()
                continue
            with self.mutex:
                held = list(self.locks)
            for lock in held:
                try:
                    lock.extend()
                except (redis.RedisError, redis_lock.NotAcquired) as exc:
                    if lock in self.locks:
                        logger.warning("stock lock %s: renewal failed: %s", lock._name, exc)
                    self.discard(lock)


_renewer = _Renewer()


class _StockLock(redis_lock.Lock):
    """python-redis-lock's lock, renewed by the shared ``_Renewer`` instead of a thread of its own."""

    # python-redis-lock GETs the key before every acquire to refuse a second acquire of one instance. Each of
    # these instances has a new random id and is acquired once, so nothing can hold that id yet: one round trip
    # saved per SKU.
    _held = False

    def _start_lock_renewer(self):
        _renewer.add(self)

    def acquire(self, blocking=True, timeout=None):
        started = time.monotonic()
        acquired = super().acquire(blocking=blocking, timeout=timeout)
        metrics.stock_lock_waited(time.monotonic() - started, acquired=acquired)
        return acquired

    def release(self):
        _renewer.discard(self)
        super().release()


@lru_cache(maxsize=4)
def _lock_client(url: str, connect_timeout: float, socket_timeout: float) -> redis.Redis:
    # Its own client: short timeouts, so a Redis that is down or dropping packets answers within seconds.
    return redis.Redis.from_url(url, socket_connect_timeout=connect_timeout, socket_timeout=socket_timeout)


def stock_locks_acquire(sku_ids) -> list[_StockLock]:
    """Lock these SKUs, lowest id first. Raises ``StockBusy`` or ``StockUnavailable``, holding nothing."""
    url = settings.STOCK_LOCK_REDIS_URL
    if not url:
        return []
    wait = settings.STOCK_LOCK_WAIT_SECONDS
    client = _lock_client(url, settings.STOCK_LOCK_CONNECT_TIMEOUT, wait + 2)
    held = []
    try:
        for sku_id in sorted(set(sku_ids)):
            lock = _StockLock(
                client, f"stock:sku:{sku_id}", expire=settings.STOCK_LOCK_EXPIRE_SECONDS, auto_renewal=True
            )
            if not lock.acquire(timeout=wait):
                raise StockBusy(sku_id)
            held.append(lock)
    except redis.RedisError as exc:
        stock_locks_release(held)
        raise StockUnavailable() from exc
    except StockBusy:
        stock_locks_release(held)
        raise
    return held


def stock_locks_release(locks) -> None:
    """Release what ``stock_locks_acquire`` gave. Never raises: by now the transaction has committed or not."""
    for lock in reversed(locks):
        try:
            lock.release()
        except redis_lock.NotAcquired:
            logger.warning("stock lock %s expired before release; the conditional UPDATE kept stock right", lock._name)
        except redis.RedisError as exc:
            logger.warning("stock lock %s: Redis gone at release (%s); it expires by itself", lock._name, exc)


def _flag_keys(sku_id: int) -> tuple[str, str]:
    return f"stock:soldout:{sku_id}", f"stock:generation:{sku_id}"


# Write the flag only if the generation is still the one read before the stock was seen at zero.
_FLAG_IF_UNCHANGED = """
if (redis.call('get', KEYS[2]) or '') == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
"""


def _flag_client():
    url = settings.STOCK_LOCK_REDIS_URL
    if not url:
        return None
    return _lock_client(url, settings.STOCK_LOCK_CONNECT_TIMEOUT, settings.STOCK_LOCK_WAIT_SECONDS + 2)


# SKUs this process lately saw flagged sold out: sku id -> when the memory lapses (time.monotonic()). Only a
# hint, for the order API's gate (orders.gate) and for whether an order asks Redis at all
# (``stock_sold_out_check_hinted``); Redis is then asked, and a SKU found unflagged is forgotten at once, so a hint
# never refuses anybody by itself.
_flag_seen: dict[int, float] = {}


def _flag_seen_note(sku_ids, *, flagged: bool) -> None:
    until = time.monotonic() + settings.STOCK_SOLD_OUT_FLAG_SECONDS
    for sku_id in sku_ids:
        if flagged:
            _flag_seen[sku_id] = until
        else:
            _flag_seen.pop(sku_id, None)


def stock_sold_out_seen_any() -> bool:
    """Whether this process remembers any SKU flagged sold out (a drop is on, or was a moment ago)."""
    # One copy of the values (a single step for the interpreter's lock): other threads may add or pop meanwhile.
    until = list(_flag_seen.values())
    if not until:
        return False
    if max(until) > time.monotonic():
        return True
    _flag_seen.clear()  # every memory lapsed (one noted meanwhile by another thread is only a hint lost)
    return False


def stock_sold_out_seen(sku_ids) -> bool:
    """Whether this process lately saw one of these SKUs flagged sold out (no Redis, no query): a hint that
    ``stock_sold_out_check`` is worth asking early. Never a refusal by itself."""
    if not _flag_seen:
        return False
    now = time.monotonic()
    return any(_flag_seen.get(sku_id, 0) > now for sku_id in sku_ids)


def stock_sold_out_check(quantities: dict[int, int]) -> dict[int, str]:
    """Refuse at once (``OutOfStock``) an order for a SKU flagged sold out; one Redis round trip, no query.

    Returns the SKUs' generations, to hand to ``stock_sold_out_flag`` if this order then finds a SKU at zero.
    Without Redis (or with Redis unreachable) it refuses nothing and the database decides, as always.
    """
    generations, short = _sold_out_read(quantities)
    if short:
        raise OutOfStock(short)
    return generations


def _sold_out_read(quantities: dict[int, int]) -> tuple[dict[int, str], list[ShortLine]]:
    """The SKUs' generations and a short line for each flagged one (one MGET), remembered in this process."""
    client = _flag_client()
    if client is None:
        return {}, []
    sku_ids = sorted(quantities)
    keys = [key for sku_id in sku_ids for key in _flag_keys(sku_id)]
    try:
        values = client.mget(keys)
    except redis.RedisError:
        return {}, []
    generations, short = {}, []
    for index, sku_id in enumerate(sku_ids):
        flag, generation = values[2 * index], values[2 * index + 1]
        generations[sku_id] = (generation or b"").decode()
        if flag is not None:
            product_id, _, name = flag.decode().partition(":")
            short.append(ShortLine(sku_id, int(product_id), name, quantities[sku_id], 0))
    flagged = {line.sku_id for line in short}
    _flag_seen_note(flagged, flagged=True)
    _flag_seen_note([sku_id for sku_id in sku_ids if sku_id not in flagged], flagged=False)
    return generations, short


def stock_sold_out_check_hinted(quantities: dict[int, int]) -> dict[int, str] | None:
    """``stock_sold_out_check`` when this process lately saw one of these SKUs flagged, else ``None`` (nothing
    asked): the order then reads the SKUs, and if one has no stock it learns the flag
    (``stock_sold_out_flag_empty``)."""
    if not stock_sold_out_seen(quantities):
        return None
    return stock_sold_out_check(quantities)


def stock_sold_out_flag_empty(skus, generations: dict[int, str] | None) -> None:
    """An order read these SKUs (with their products) and is refused: flag those it saw with no stock at all.
    With the ``generations`` the order read before them (``stock_sold_out_check``); when it did not ask Redis
    (``None``: ``stock_sold_out_check_hinted``), their flags and generations are read now and the stock again
    from the primary, so the generation is still read before the stock it vouches for, and a flag another
    process wrote is only remembered. Never raises."""
    empty = [sku for sku in skus if sku.stock == 0]
    if not empty:
        return
    if generations is not None:
        stock_sold_out_flag(empty, generations)
        return
    generations, short = _sold_out_read(dict.fromkeys((sku.id for sku in empty), 1))
    unflagged = set(generations) - {line.sku_id for line in short}
    if unflagged:
        with primary_reads():
            still_empty = list(Sku.objects.select_related("product").filter(id__in=unflagged, stock=0))
        stock_sold_out_flag(still_empty, generations)


def stock_sold_out_flag(skus, generations: dict[int, str]) -> None:
    """Flag those of these SKUs read with no stock at all sold out, unless stock came back since
    ``generations`` was read (``stock_sold_out_check``). Never raises: the flag only saves work."""
    client = _flag_client()
    if client is None or not generations:
        return
    seconds = settings.STOCK_SOLD_OUT_FLAG_SECONDS
    try:
        for sku in skus:
            if sku.stock == 0 and sku.id in generations:
                flag = f"{sku.product_id}:{sku.product.name}"
                client.eval(_FLAG_IF_UNCHANGED, 2, *_flag_keys(sku.id), generations[sku.id], flag, seconds)
                _flag_seen_note([sku.id], flagged=True)
    except redis.RedisError as exc:
        logger.warning("sold-out flag not written: %s", exc)


def _sold_out_clear(sku_ids) -> None:
    client = _flag_client()
    if client is None:
        return
    try:
        with client.pipeline(transaction=True) as pipe:
            for sku_id in sku_ids:
                flag_key, generation_key = _flag_keys(sku_id)
                pipe.incr(generation_key)
                pipe.delete(flag_key)
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("sold-out flags of %s not cleared (they expire by themselves): %s", sku_ids, exc)


def _sold_out_clear_on_commit(sku_ids) -> None:
    sku_ids = sorted(set(sku_ids))
    if sku_ids and settings.STOCK_LOCK_REDIS_URL:
        transaction.on_commit(lambda: _sold_out_clear(sku_ids))


def _record(quantities: dict[int, int], *, sign: int, reason: str, reference: str = "", note: str = "", actor=None):
    added = [sku_id for sku_id, n in quantities.items() if sign * n > 0]
    if added:
        # Whoever waits for these SKUs to come back is emailed once this commits (a rollback promises nothing).
        restock.restock_notify_schedule(sku_ids=added)
    statements.insert(
        StockMovement(
            sku_id=sku_id, delta=sign * quantities[sku_id], reason=reason, reference=reference, note=note, actor=actor
        )
        for sku_id in sorted(quantities)
    )


@transaction.atomic(savepoint=False)
def availability_refresh(*, product_ids) -> None:
    """Recompute ``Product.is_available`` for these products from their status and SKUs, inside the caller's
    transaction, holding the products' row locks (taken in ascending id) to the COMMIT."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    list(Product.objects.select_for_update().filter(id__in=ids).order_by("id").values_list("id", flat=True))
    # Two statements, not one: the recomputation must start after the locks are held (module docstring).
    available = set(Product.objects.filter(id__in=ids).computed_available().values_list("id", flat=True))
    Product.objects.filter(id__in=available, is_available=False).update(is_available=True)
    Product.objects.filter(id__in=set(ids) - available, is_available=True).update(is_available=False)


def _availability_after_arrival(sku_ids) -> None:
    """Stock arrived on these SKUs (locked by this transaction's UPDATE): their products are available now.

    The UPDATE matches the product row even when it already says available, so it holds the row lock to the
    COMMIT: a sale emptying another SKU meanwhile waits for it and recomputes after, seeing this stock."""
    Product.objects.filter(
        status=Product.Status.ON_SALE,
        id__in=Sku.objects.filter(id__in=list(sku_ids), is_active=True, stock__gt=0).values("product_id"),
    ).update(is_available=True)


def _availability_after_taking(sku_ids) -> None:
    """Stock left these SKUs: the products of those now at zero may have nothing left to sell."""
    emptied = set(Sku.objects.filter(id__in=list(sku_ids), stock=0).values_list("product_id", flat=True))
    availability_refresh(product_ids=emptied)


# An order's stock UPDATEs, compiled once (shop.statements): the one that leaves stock behind, and the plain guard.
def _taken(sku_id, wanted) -> dict:
    return {"stock": F("stock") - wanted}


_TAKE_LEAVING_SOME = statements.Prepared(
    Sku, lambda sku_id, wanted: Sku.objects.filter(id=sku_id, is_active=True, stock__gt=wanted), update=_taken
)
_TAKE = statements.Prepared(
    Sku, lambda sku_id, wanted: Sku.objects.filter(id=sku_id, is_active=True, stock__gte=wanted), update=_taken
)


def stock_take(*, quantities: dict[int, int], reference: str = "", sold_out_generations=None) -> None:
    """Take ``quantities`` ({sku_id: n}) for an order, in ascending id order, inside the caller's transaction,
    under the SKUs' Redis locks (taken and released here, around the UPDATEs only).

    Raises ``OutOfStock`` at the first SKU short of stock, inactive or off sale; the caller's rollback undoes the
    rest. ``StockBusy``/``StockUnavailable`` when the locks cannot be had; nothing is taken then. A SKU found
    with no stock left is flagged sold out (``stock_sold_out_flag_empty``, with the order's ``sold_out_generations``).
    """
    # The movements first: the UPDATEs are then the transaction's last statements, so each SKU's row lock is
    # held from its UPDATE to the COMMIT and no longer (a hot SKU sells one order per hold). The movement's
    # foreign key has no database constraint, because InnoDB's check would take a shared lock on the SKU row
    # here and two buyers holding it would deadlock upgrading to the UPDATE's exclusive lock. A refused order
    # rolls its movements back with everything else.
    _record(quantities, sign=-1, reason=StockMovement.Reason.ORDER, reference=reference)
    held = stock_locks_acquire(quantities)
    emptied, short = [], None
    try:
        for sku_id in sorted(quantities):
            wanted = quantities[sku_id]
            # Most orders leave stock behind, and this UPDATE says so by matching: nothing more to ask inside the
            # row lock's window. Only when it does not match is the plain guard tried; what it takes may be the
            # last units, and that SKU's product availability is then recomputed (``availability_refresh``).
            if _TAKE_LEAVING_SOME.update(sku_id, wanted):
                continue
            if not _TAKE.update(sku_id, wanted):
                short = (sku_id, wanted)
                break
            emptied.append(sku_id)
    finally:
        stock_locks_release(held)
    if short is not None:  # read and flagged after the locks are given back; the caller's rollback undoes the rest
        raise OutOfStock([_short_line(*short, sold_out_generations)])
    if emptied:
        _availability_after_taking(emptied)


def _short_line(sku_id: int, wanted: int, sold_out_generations=None) -> ShortLine:
    sku = Sku.objects.select_related("product").filter(id=sku_id).first()
    if sku is None:
        return ShortLine(sku_id, 0, "", wanted, 0)
    stock_sold_out_flag_empty([sku], sold_out_generations)
    return ShortLine(sku_id, sku.product_id, sku.product.name, wanted, sku.available)


def stock_return(*, quantities: dict[int, int], reason: str, reference: str = "") -> None:
    """Give stock back ({sku_id: n}: an order expired or canceled, units refunded), inside the caller's
    transaction, in ascending ids like every other stock writer."""
    quantities = {sku_id: n for sku_id, n in quantities.items() if n}
    for sku_id in sorted(quantities):
        Sku.objects.filter(id=sku_id).update(stock=F("stock") + quantities[sku_id])
    _availability_after_arrival(quantities)
    _record(quantities, sign=1, reason=reason, reference=reference)
    _sold_out_clear_on_commit(quantities)


def _availability_changed(sku_id: int, delta: int) -> None:
    if delta > 0:
        _availability_after_arrival([sku_id])
    else:
        _availability_after_taking([sku_id])


@transaction.atomic
def stock_adjust(*, sku: Sku, delta: int, reason: str, note: str = "", actor=None, reference: str = "") -> int:
    """Change a SKU's stock by ``delta`` (staff: "+20 입고", "-2 파손"; an import); returns the new stock.

    ``NegativeStock`` if it would go below zero; a delta of 0 changes and records nothing.
    """
    if delta:
        held = stock_locks_acquire([sku.id])
        try:
            changed = Sku.objects.filter(id=sku.id, stock__gte=max(-delta, 0)).update(stock=F("stock") + delta)
        finally:
            stock_locks_release(held)
        if not changed:
            current = Sku.objects.values_list("stock", flat=True).get(id=sku.id)
            raise NegativeStock(sku_code=sku.code, stock=current, delta=delta)
        _availability_changed(sku.id, delta)
        _record({sku.id: delta}, sign=1, reason=reason, reference=reference, note=note, actor=actor)
        if delta > 0:
            _sold_out_clear_on_commit([sku.id])
    return Sku.objects.values_list("stock", flat=True).get(id=sku.id)


@transaction.atomic
def stock_set(*, sku: Sku, target: int, reason: str, note: str = "", actor=None, reference: str = "") -> int:
    """Bring a SKU's stock to a counted ``target``, applied as the delta from what it holds at this moment.

    Under the SKU's Redis lock and its row lock, so a sale between the count and the save is not undone:
    the difference is read and written in one locked step, and recorded like any other movement.
    """
    if target < 0:
        raise NegativeStock(sku_code=sku.code, stock=0, delta=target)
    held = stock_locks_acquire([sku.id])
    try:
        current = Sku.objects.select_for_update().values_list("stock", flat=True).get(id=sku.id)
        delta = target - current
        if delta:
            Sku.objects.filter(id=sku.id).update(stock=F("stock") + delta)
    finally:
        stock_locks_release(held)
    if delta:
        _availability_changed(sku.id, delta)
        _record({sku.id: delta}, sign=1, reason=reason, reference=reference, note=note, actor=actor)
    if delta > 0:
        _sold_out_clear_on_commit([sku.id])
    return target
