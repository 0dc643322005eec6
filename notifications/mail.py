"""Building the store's emails: an HTML part in the store's look and a plain-text part, in Korean.

Templates live in ``templates/notifications/email/``: ``<name>.html`` extends ``base.html`` (inline styles, as
mail clients ignore style sheets) and ``<name>.txt`` is the same content as text. Links are absolute, on
``SHOP_BASE_URL``.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import OrderEmail

Kind = OrderEmail.Kind


def absolute_url(path: str) -> str:
    return settings.SHOP_BASE_URL.rstrip("/") + path


def templated_message(*, template: str, subject: str, to: str, context: dict) -> EmailMultiAlternatives:
    """An email from ``<template>.txt`` and ``<template>.html``, rendered in ``EMAIL_LANGUAGE``."""
    with translation.override(settings.EMAIL_LANGUAGE):
        context = {**context, "subject": str(subject), "home_url": absolute_url("/")}
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=f"[{_('Hanul Market')}] {subject}", body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
        )
    message.attach_alternative(html, "text/html")
    return message


def _subjects():
    return {
        Kind.PLACED: _("Your order has been placed"),
        Kind.AWAITING_DEPOSIT: _("Please deposit the payment for your order"),
        Kind.PAID: _("Your payment is complete"),
        Kind.SHIPPED: _("Your order has shipped"),
        Kind.CANCELED: _("Your order has been canceled"),
        Kind.REFUNDED: _("Your refund is complete"),
    }


def order_email_message(email: OrderEmail) -> EmailMultiAlternatives:
    """The message for a recorded order email, from the order as it is now and the email's own context."""
    order = email.order
    with translation.override(settings.EMAIL_LANGUAGE):
        subject = _subjects()[email.kind]
        context = {
            "order": order,
            "lines": list(order.lines.all()),
            "kind": email.kind,
            "extra": email.context,
            "order_url": absolute_url(order.get_absolute_url()),
        }
        return templated_message(template=f"order_{email.kind}", subject=subject, to=email.to, context=context)
