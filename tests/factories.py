"""factory_boy factories for the suite's data."""

import io
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.models import Address, User
from catalog import services
from catalog import stock as stock_module
from catalog.models import Category, Product, ProductImage, Sku, StockMovement

PASSWORD = "correct-horse-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = "김하늘"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def email_address(self, create, extracted, **kwargs):
        """A registered customer has confirmed their address (sign-up requires it). ``email_address="unverified"``:
        an address never confirmed; ``"none"``: no address record at all (an account made outside allauth)."""
        if create and extracted != "none":
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=extracted != "unverified")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    recipient = "김하늘"
    phone = "010-1234-5678"
    postal_code = "06236"
    address = "서울특별시 강남구 테헤란로 123"
    detail = "4층"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"카테고리{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"한울 노트북 {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "가볍고 빠른 노트북입니다. 무료배송."
    price = 12900
    status = Product.Status.ON_SALE

    class Params:
        stock = 10  # the stock of its one SKU (P<id>), arrived as an import movement

    sku = factory.RelatedFactory(
        "tests.factories.SkuFactory", factory_related_name="product", stock=factory.SelfAttribute("..stock")
    )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.refresh_from_db(fields=["is_available"])


class SkuFactory(factory.django.DjangoModelFactory):
    """A product's SKU; ``P<product id>`` is its one SKU, the one ``product_save`` makes (reused if it exists)."""

    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory, sku=None)
    code = factory.LazyAttribute(lambda sku: f"P{sku.product.id}")
    stock = 10

    @classmethod
    def _create(cls, model_class, *args, stock=0, option_values=(), **kwargs):
        sku, _ = model_class.objects.get_or_create(code=kwargs.pop("code"), defaults=kwargs)
        if stock:
            Sku.objects.filter(pk=sku.pk).update(stock=stock)
            StockMovement.objects.create(sku=sku, delta=stock, reason=StockMovement.Reason.IMPORT)
            sku.refresh_from_db()
        if option_values:
            sku.option_values.set(option_values)
        # Stock written here directly (an import's opening stock): the product's availability follows, as
        # ``catalog.stock`` keeps it.
        stock_module.availability_refresh(product_ids=[sku.product_id])
        return sku


def stock_of(product) -> int:
    """What a product's SKUs hold, read now."""
    return sum(Sku.objects.filter(product=product).values_list("stock", flat=True))


def product_with_options(*, options: dict[str, list[str]], stock: int = 5, **kwargs) -> Product:
    """A product whose SKUs are every combination of ``options`` ({"색상": ["블랙", "화이트"], ...}), each with
    ``stock``; its option-less SKU is deactivated, as ``catalog.services.product_skus_generate`` does."""
    from catalog import services
    from catalog.models import ProductOption

    product = ProductFactory(stock=0, **kwargs)
    for position, (name, values) in enumerate(options.items()):
        option = ProductOption.objects.create(product=product, name=name, position=position)
        for value_position, value in enumerate(values):
            option.values.create(name=value, position=value_position)
    for sku in services.product_skus_generate(product=product):
        Sku.objects.filter(pk=sku.pk).update(stock=stock)
        StockMovement.objects.create(sku=sku, delta=stock, reason=StockMovement.Reason.IMPORT)
    stock_module.availability_refresh(product_ids=[product.id])
    product.refresh_from_db()
    return product


def sku_of(product, *values: str) -> Sku:
    """The product's active SKU with exactly these option values (none: its only active SKU)."""
    for sku in Sku.objects.filter(product=product, is_active=True).prefetch_related("option_values"):
        if sorted(value.name for value in sku.option_values.all()) == sorted(values):
            return sku
    raise LookupError(values)


def png_bytes(color=(30, 94, 255)):
    """A tiny real PNG, for uploads and image fields."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, format="PNG")
    return buffer.getvalue()


class ProductImageFactory(factory.django.DjangoModelFactory):
    """An image saved through the image service, its renditions made (``with_renditions=False``: not yet)."""

    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="photo.png"))
    is_primary = True

    @classmethod
    def _create(cls, model_class, *args, image, with_renditions=True, **kwargs):
        saved = services.product_image_save(image=model_class(**kwargs), file=image)
        if with_renditions:
            services.product_image_make_renditions(image_id=saved.pk)
            saved.refresh_from_db()
        return saved


class OrderFactory(factory.django.DjangoModelFactory):
    """An order awaiting payment, without lines (tests that need stock go through orders.services)."""

    class Meta:
        model = "orders.Order"

    user = factory.SubFactory(UserFactory)
    total = 12900
    subtotal = factory.SelfAttribute("total")
    recipient = "김하늘"
    phone = "010-1234-5678"
    postal_code = "06236"
    address = "서울특별시 강남구 테헤란로 123"


class IndexedProductFactory(ProductFactory):
    """A product saved the way the store saves one (``product_save``), so the search index holds it."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from catalog import services

        return services.product_save(product=model_class(*args, **kwargs))


class CouponFactory(factory.django.DjangoModelFactory):
    """A code coupon of 5,000원 off, valid from a day ago for a month, one use per customer, no total limit."""

    class Meta:
        model = "pricing.Coupon"

    name = factory.Sequence(lambda n: f"쿠폰 {n}")
    code = factory.Sequence(lambda n: f"SAVE{n}")
    kind = "fixed"
    value = 5000
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


# A new shipping address as the order API takes it ("address" in POST /api/v1/orders/).
ORDER_ADDRESS = {
    "recipient": "김하늘",
    "phone": "010-1234-5678",
    "postal_code": "06236",
    "address": "서울 강남구 테헤란로 1",
}
