"""찜 and restock alerts.

A restock alert is sent once per subscription: ``catalog.stock`` calls ``restock_notify_schedule`` whenever it
adds stock, which looks (after the commit, so nothing is promised that was rolled back) for subscriptions
waiting on those SKUs and queues the task. The task claims each subscription with a conditional UPDATE
(``notified_at IS NULL``) before sending, so two runs never email one subscriber twice; a failed send gives
the claim back and the task retries.
"""

import logging
import smtplib

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product, Sku
from notifications import mail
from notifications.exceptions import EmailNotSent

from . import tasks
from .exceptions import NotSoldOut, ProductUnavailable
from .models import RestockSubscription, WishItem

logger = logging.getLogger(__name__)


def _visible_product(product_id: int) -> Product:
    product = Product.objects.visible().filter(pk=product_id).first()
    if product is None:
        raise ProductUnavailable()
    return product


def wish_add(*, user, product_id: int) -> WishItem:
    """Add a product the customer can see to their 찜 list (again: nothing changes)."""
    product = _visible_product(product_id)
    try:
        with transaction.atomic():
            return WishItem.objects.get_or_create(user=user, product=product)[0]
    except IntegrityError:  # a concurrent add of the same product won
        return WishItem.objects.get(user=user, product=product)


def wish_remove(*, user, product_id: int) -> None:
    """Take a product off the customer's 찜 list (absent: nothing happens)."""
    WishItem.objects.filter(user=user, product_id=product_id).delete()


def restock_subscribe(*, user, product_id: int, sku_id: int | None = None) -> RestockSubscription:
    """Ask to be emailed when a sold-out product (any SKU) or one sold-out SKU can be bought again.
    ``NotSoldOut`` if it can be bought now; subscribing again after an alert waits for the next restock."""
    product = _visible_product(product_id)
    sku = None
    if sku_id is not None:
        sku = Sku.objects.filter(pk=sku_id, product=product, is_active=True).first()
        if sku is None:
            raise ProductUnavailable()
        if sku.available:
            raise NotSoldOut()
    elif product.is_purchasable:
        raise NotSoldOut()
    with transaction.atomic():
        subscription, created = RestockSubscription.objects.get_or_create(
            user=user, product=product, sku_key=sku.pk if sku else 0, defaults={"sku": sku}
        )
        if not created and subscription.notified_at is not None:
            subscription.notified_at = None
            subscription.save(update_fields=["notified_at"])
    return subscription


def restock_unsubscribe(*, user, product_id: int, sku_id: int | None = None) -> None:
    RestockSubscription.objects.filter(user=user, product_id=product_id, sku_key=sku_id or 0).delete()


def restock_notify_schedule(*, sku_ids) -> None:
    """Stock was added to these SKUs in the current transaction (``catalog.stock``): once it commits, queue
    the alerts of whoever waits for them."""
    sku_ids = sorted(set(sku_ids))

    def queue():  # a named function: Django logs a robust hook's failure by its __qualname__
        _queue_if_awaited(sku_ids)

    transaction.on_commit(queue, robust=True)


def _awaiting(sku_ids):
    products = Sku.objects.filter(pk__in=sku_ids).values("product_id")
    return RestockSubscription.objects.filter(notified_at=None).filter(
        Q(sku_id__in=sku_ids) | Q(sku_key=0, product_id__in=products)
    )


def _queue_if_awaited(sku_ids) -> None:
    if _awaiting(sku_ids).exists():
        tasks.restock_notify.delay(sku_ids)


def restock_notify(*, sku_ids) -> int:
    """Email each subscriber waiting for these SKUs (or their products) that can be bought now; returns how many
    were sent. ``EmailNotSent`` after the others were sent, when some failed (their claims given back)."""
    available = {sku.pk: sku for sku in Sku.objects.filter(pk__in=sku_ids).select_related("product") if sku.available}
    products = {sku.product_id for sku in available.values() if sku.product.is_visible}
    subscriptions = _awaiting(list(available)).filter(product_id__in=products).select_related("user", "product", "sku")
    sent, failed = 0, 0
    for subscription in subscriptions.order_by("id"):
        if subscription.sku_id and subscription.sku_id not in available:
            continue
        claimed = RestockSubscription.objects.filter(pk=subscription.pk, notified_at=None).update(
            notified_at=timezone.now()
        )
        if not claimed:
            continue  # another run took it
        try:
            _restock_message(subscription).send()
            sent += 1
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("restock alert %s: %s", subscription.pk, exc)
            RestockSubscription.objects.filter(pk=subscription.pk).update(notified_at=None)
            failed += 1
    if failed:
        raise EmailNotSent(f"{failed} restock alerts")
    return sent


def _restock_message(subscription):
    product = subscription.product
    return mail.templated_message(
        template="restock",
        subject=_("%(name)s is back in stock") % {"name": product.name},
        to=subscription.user.email,
        context={
            "product": product,
            "option": subscription.sku.option_label if subscription.sku else "",
            "product_url": mail.absolute_url(product.get_absolute_url()),
        },
    )
