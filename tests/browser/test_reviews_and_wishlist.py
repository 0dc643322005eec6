"""A visitor reads a product's reviews, taps ♡, logs in and is back on the same product with it kept."""

import pytest

from reviews import services as review_services
from tests.factories import PASSWORD, ProductFactory, UserFactory
from tests.reviews.conftest import deliver
from wishlist.models import WishItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed(db):
    product = ProductFactory(name="한울 보온 텀블러 500ml", price=19800, stock=30)
    for rating, body in (
        (5, "보온이 오래가요. 출근길에 딱입니다."),
        (4, "뚜껑이 조금 뻑뻑해요."),
        (2, "생각보다 무거워요."),
    ):
        customer = UserFactory(name="이하늘")
        line = deliver(customer, product)
        review_services.review_create(user=customer, order_line_id=line.pk, rating=rating, body=body)
    return product


def test_a_visitor_reads_reviews_then_logs_in_to_keep_the_product(page, shoot, screenshot_dir, reviewed):
    customer = UserFactory(email="wish@example.com")

    page.goto(reviewed.get_absolute_url())
    reviews = page.locator("#reviews")
    assert reviews.get_by_text("3.7").is_visible()
    assert reviews.locator(".review").count() == 3
    page.get_by_role("link", name="별점 낮은순").click()
    assert page.locator(".review-body").first.inner_text() == "생각보다 무거워요."
    shoot("reviews")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "product-reviews-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator(".product-actions").get_by_role("link", name="로그인하고 찜하기").click()
    page.get_by_label("이메일").fill(customer.email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url(f"**{reviewed.get_absolute_url()}")

    page.locator(".product-actions").get_by_role("button", name="찜하기").click()
    page.wait_for_url(f"**{reviewed.get_absolute_url()}")
    assert page.locator(".product-actions .wish").get_attribute("aria-pressed") == "true"
    assert WishItem.objects.filter(user=customer, product=reviewed).exists()
    shoot("wished")
