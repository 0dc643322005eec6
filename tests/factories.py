"""factory_boy factories for the suite's data."""

import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from PIL import Image

from accounts.models import Address, User
from catalog import services
from catalog.models import Category, Product, ProductImage

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

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"한울 노트북 {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "가볍고 빠른 노트북입니다. 무료배송."
    price = 12900
    stock = 10
    status = Product.Status.ON_SALE


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
