"""Taking stock for orders and giving it back: the one place that changes ``Product.stock`` for orders.

Two guards, so neither alone has to be perfect:

1. Per-product Redis locks (python-redis-lock), always taken in ascending product id order, so two orders
   sharing products queue instead of deadlocking; held only around the stock UPDATEs, whose row locks then
   keep the stock until the COMMIT. They expire (``STOCK_LOCK_EXPIRE_SECONDS``) and are renewed while held.
2. Inside them a conditional ``UPDATE ... SET stock = stock - n WHERE stock >= n``: even a lock that expired
   or was lost cannot oversell. Without ``STOCK_LOCK_REDIS_URL`` (the embedded default) this guard serves alone.

Giving stock back (``stock_return``) takes no Redis lock: an increment cannot oversell, and expiry must work
while Redis is away.
"""

import logging
import os
import threading
from functools import lru_cache

import redis
import redis_lock
from django.conf import settings
from django.db.models import F

from catalog.models import Product

from .exceptions import OutOfStock, ShortLine, StockBusy, StockUnavailable

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

    def _start_lock_renewer(self):
        _renewer.add(self)

    def release(self):
        _renewer.discard(self)
        super().release()


@lru_cache(maxsize=4)
def _lock_client(url: str, connect_timeout: float, socket_timeout: float) -> redis.Redis:
    # Its own client: short timeouts, so a Redis that is down or dropping packets answers within seconds.
    return redis.Redis.from_url(url, socket_connect_timeout=connect_timeout, socket_timeout=socket_timeout)


def stock_locks_acquire(product_ids) -> list[_StockLock]:
    """Lock these products, lowest id first. Raises ``StockBusy`` or ``StockUnavailable``, holding nothing."""
    url = settings.STOCK_LOCK_REDIS_URL
    if not url:
        return []
    wait = settings.STOCK_LOCK_WAIT_SECONDS
    client = _lock_client(url, settings.STOCK_LOCK_CONNECT_TIMEOUT, wait + 2)
    held = []
    try:
        for product_id in sorted(set(product_ids)):
            lock = _StockLock(
                client, f"stock:{product_id}", expire=settings.STOCK_LOCK_EXPIRE_SECONDS, auto_renewal=True
            )
            if not lock.acquire(timeout=wait):
                raise StockBusy(product_id)
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


def stock_take(*, quantities: dict[int, int], names: dict[int, str]) -> None:
    """Take ``quantities`` ({product_id: n}) in ascending id order, inside the caller's transaction.

    Raises ``OutOfStock`` at the first product short of stock or off sale; the caller's rollback undoes the rest.
    """
    for product_id in sorted(quantities):
        wanted = quantities[product_id]
        taken = Product.objects.filter(id=product_id, stock__gte=wanted, status=Product.Status.ON_SALE).update(
            stock=F("stock") - wanted
        )
        if not taken:
            product = Product.objects.filter(id=product_id).values("stock", "status").first() or {}
            on_sale = product.get("status") == Product.Status.ON_SALE
            available = product["stock"] if on_sale else 0
            raise OutOfStock([ShortLine(product_id, names.get(product_id, ""), wanted, available)])


def stock_return(*, quantities: dict[int, int]) -> None:
    """Give stock back, inside the caller's transaction (ascending ids, like every other stock writer)."""
    for product_id in sorted(quantities):
        Product.objects.filter(id=product_id).update(stock=F("stock") + quantities[product_id])
