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
        return self.name or self.email.split("@")[0]


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
