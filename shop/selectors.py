"""Reads of the storefront: the seller's legal details, delivery terms and the current legal documents."""

import re

from django.conf import settings
from django.utils import timezone

from .models import LegalDocument


def _in_language(table: dict, language: str) -> dict:
    """``table[language]`` over ``table["ko"]``: an English value left unset shows the Korean one."""
    return {**table.get("ko", {}), **table.get((language or "ko")[:2], {})}


def seller_info(*, language: str) -> dict:
    """The seller's details for the footer, with the FTC lookup link of its business registration number."""
    info = _in_language(settings.SELLER_INFO, language)
    digits = re.sub(r"\D", "", info.get("business_number", ""))
    info["lookup_url"] = settings.SELLER_LOOKUP_URL.format(digits=digits) if digits else ""
    return info


def delivery_info(*, language: str) -> dict:
    """The product page's delivery estimate, fee and 교환/반품 안내."""
    return _in_language(settings.DELIVERY_INFO, language)


def legal_document_current(kind: str) -> LegalDocument | None:
    """The version of ``kind`` (``LegalDocument.Kind``) in force now, or None before one is published.
    Sign-up records this version's ``version`` with the consent."""
    return (
        LegalDocument.objects.filter(kind=kind, effective_at__lte=timezone.now())
        .order_by("-effective_at", "-id")
        .first()
    )


def legal_document_versions(kind: str) -> list[LegalDocument]:
    """Every published version of ``kind``, newest first (the page links the earlier ones)."""
    return list(
        LegalDocument.objects.filter(kind=kind, effective_at__lte=timezone.now()).order_by("-effective_at", "-id")
    )
