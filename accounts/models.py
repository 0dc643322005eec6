"""Customers and staff (one user model, email as the login name) and their shipping addresses."""

import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.inputs import korean_mobile_validator, postal_code_validator


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def new_payment_customer_key() -> str:
    """Toss's ``customerKey``: random, so it says nothing about the customer (not the email, not the id)."""
    return f"c_{secrets.token_urlsafe(24)}"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=13, blank=True, validators=[korean_mobile_validator])
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Identifies the customer to Toss's payment widget (saved methods); see new_payment_customer_key.
    payment_customer_key = models.CharField(
        max_length=50, unique=True, default=new_payment_customer_key, editable=False
    )
    # Set when the customer closed the account (accounts.services.account_close): the row stays, emptied of
    # personal data, while the orders the law makes us keep still point at it.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        """The name the header greets the customer by: never a part of the email address."""
        return self.name

    @property
    def is_closed(self):
        return self.closed_at is not None


class Address(models.Model):
    """A shipping address ("receiver" in the old store). Orders copy it, so editing or deleting is safe."""

    user = models.ForeignKey(User, related_name="addresses", on_delete=models.CASCADE)
    recipient = models.CharField(_("recipient"), max_length=50)
    phone = models.CharField(_("phone"), max_length=13, validators=[korean_mobile_validator])
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[postal_code_validator])
    address = models.CharField(_("address"), max_length=200)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    memo = models.CharField(_("delivery memo"), max_length=200, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shipping address")
        verbose_name_plural = _("shipping addresses")
        ordering = ["-is_default", "-id"]
        constraints = [
            # Enforced by SQLite and PostgreSQL; MariaDB ignores conditional constraints, where the services'
            # per-customer lock keeps it.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="accounts_address_one_default"
            ),
        ]

    def __str__(self):
        return f"{self.recipient} {self.address} {self.detail}".strip()


class Consent(models.Model):
    """What a customer agreed to at sign-up (or later): which document, which version of it, and when.

    The required ones (terms, privacy, age) are recorded once at sign-up; marketing is optional and can be
    withdrawn, which keeps the row with ``withdrawn_at`` set (the proof of what was agreed stays).
    """

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Collection and use of personal information")
        AGE = "age_14", _("Aged 14 or over")
        MARKETING = "marketing", _("Marketing messages")

    REQUIRED = (Kind.TERMS, Kind.PRIVACY, Kind.AGE)

    user = models.ForeignKey(User, related_name="consents", on_delete=models.CASCADE)
    kind = models.CharField(_("consent"), max_length=20, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=40, blank=True)
    agreed_at = models.DateTimeField(_("agreed"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["user", "kind", "-agreed_at"]
        indexes = [models.Index(fields=["user", "kind"], name="accounts_consent_user_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.version}".strip()
