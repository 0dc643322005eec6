"""What the storefront itself publishes: the terms of use and the privacy policy, in versions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalDocument(models.Model):
    """One version of 이용약관 or 개인정보처리방침. Versions are kept (a consent records the version agreed to);
    the current one is the latest whose ``effective_at`` has come."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Privacy policy")

    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=32, help_text=_("For example 2026-12-01 or v2."))
    effective_at = models.DateTimeField(_("effective from"))
    body_ko = models.TextField(_("text (Korean)"))
    body_en = models.TextField(_("text (English)"), blank=True, help_text=_("Empty: English pages show the Korean."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["kind", "-effective_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="legal_document_kind_version")]
        indexes = [models.Index(fields=["kind", "effective_at"], name="legal_document_current")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}"

    def body(self, language: str) -> str:
        return self.body_en if language.startswith("en") and self.body_en else self.body_ko
