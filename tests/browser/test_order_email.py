"""A shipped-order email as a customer's mail client shows it: received over SMTP, its HTML part opened in
Chromium at phone and desktop widths."""

import pytest

from orders import services as order_services
from tests.factories import ProductFactory, UserFactory
from tests.notifications.smtp_server import SmtpServer
from tests.payments.conftest import HOME

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    yield server
    server.stop()


def test_the_shipped_email_reads_well_on_a_phone_and_a_desktop(
    browser,
    smtp,
    screenshot_dir,
    django_capture_on_commit_callbacks,
):
    product = ProductFactory(name="한울 무선 키보드 (블랙)", price=39000, stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_place(user=UserFactory(), address=HOME, lines=[(product.skus.get().id, 2)])
        order_services.order_mark_paid(order=order)
        order_services.order_mark_preparing(order=order)
        order_services.order_mark_shipped(order=order, courier="cj", tracking_number="601234567890")
    html = smtp.messages[-1].get_body(("html",)).get_content()

    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="ko-KR")
        page = context.new_page()
        page.set_content(html)
        assert page.get_by_role("heading", name="주문하신 상품이 발송되었습니다").is_visible()
        link = page.get_by_role("link", name="배송 조회 ›")
        assert link.get_attribute("href") == "https://trace.cjlogistics.com/next/tracking.html?wblNo=601234567890"
        assert page.get_by_role("link", name="주문 내역 보기").is_visible()
        # Nothing wider than the screen: the layout table shrinks to a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=screenshot_dir / f"order-email-shipped-{width}.png", full_page=True)
        context.close()
