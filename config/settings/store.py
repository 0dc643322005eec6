"""The store's own: page sizes, the seller's legal details, delivery texts, order and shipping rules."""

from .base import env

# --- Store ------------------------------------------------------------------------------------------------
CATALOG_PAGE_SIZE = env.int("CATALOG_PAGE_SIZE", default=24)

# The seller's details Korean e-commerce law (전자상거래법 제10조) requires on every page, in each language; the
# English values fall back to the Korean ones. Set them from the environment in production.
SELLER_INFO = {
    "ko": {
        "company": env("SELLER_COMPANY", default="주식회사 하늘마켓"),
        "representative": env("SELLER_REPRESENTATIVE", default="김하늘"),
        "business_number": env("SELLER_BUSINESS_NUMBER", default="123-45-67890"),
        "mail_order_number": env("SELLER_MAIL_ORDER_NUMBER", default="2026-서울강남-01234"),
        "address": env("SELLER_ADDRESS", default="서울특별시 강남구 테헤란로 123, 4층"),
        "phone": env("SELLER_PHONE", default="1588-0000"),
        "email": env("SELLER_EMAIL", default="help@hanul.example"),
        "hours": env("SELLER_HOURS", default="평일 10:00-18:00 (점심 12:00-13:00)"),
        "privacy_officer": env("SELLER_PRIVACY_OFFICER", default="이보안 (privacy@hanul.example)"),
    },
    "en": {
        "company": env("SELLER_COMPANY_EN", default="Hanul Market Co., Ltd."),
        "representative": env("SELLER_REPRESENTATIVE_EN", default="Haneul Kim"),
        "mail_order_number": env("SELLER_MAIL_ORDER_NUMBER_EN", default="2026-Seoul Gangnam-01234"),
        "address": env("SELLER_ADDRESS_EN", default="4F, 123 Teheran-ro, Gangnam-gu, Seoul"),
        "hours": env("SELLER_HOURS_EN", default="Weekdays 10:00-18:00 (lunch 12:00-13:00)"),
        "privacy_officer": env("SELLER_PRIVACY_OFFICER_EN", default="Boan Lee (privacy@hanul.example)"),
    },
}
# The Fair Trade Commission's public lookup of a mail-order business by its registration number (digits only).
SELLER_LOOKUP_URL = "https://www.ftc.go.kr/bizCommPop.do?wrkr_no={digits}"
# The product page's delivery estimate and 교환/반품 안내, in each language (the English falls back to Korean).
DELIVERY_INFO = {
    "ko": {
        "estimate": env("DELIVERY_ESTIMATE", default="오후 2시까지 결제하면 오늘 출발, 보통 1-2일 안에 도착합니다."),
        "fee": env("DELIVERY_FEE_TEXT", default="3,000원 (50,000원 이상 무료)"),
        "returns": env(
            "RETURNS_TEXT",
            default="상품을 받은 날부터 7일 안에 교환·반품을 신청할 수 있습니다. 단순 변심은 왕복 배송비 6,000원을 "
            "고객이 부담하며, 상품이 잘못 왔거나 불량이면 판매자가 부담합니다. 사용했거나 포장을 훼손해 가치가 "
            "떨어진 상품은 교환·반품할 수 없습니다.",
        ),
    },
    "en": {
        "estimate": env(
            "DELIVERY_ESTIMATE_EN", default="Paid by 2 p.m., shipped today; it usually arrives in 1-2 days."
        ),
        "fee": env("DELIVERY_FEE_TEXT_EN", default="3,000 won (free over 50,000 won)"),
        "returns": env(
            "RETURNS_TEXT_EN",
            default="You may ask for an exchange or a refund within 7 days of receiving the product. For a change "
            "of mind you pay the 6,000 won return shipping; for a wrong or faulty product we pay it. Products "
            "used or unwrapped so that their value fell cannot be returned.",
        ),
    },
}

# --- Orders -----------------------------------------------------------------------------------------------
ORDER_PAYMENT_MINUTES = env.int("ORDER_PAYMENT_MINUTES", default=30)
ORDERS_PAGE_SIZE = env.int("ORDERS_PAGE_SIZE", default=20)
CART_LINE_MAX_QUANTITY = 99
# Shipping (pricing.rules.shipping_fee): the base fee, waived from this amount of goods after discounts (0: never);
# 제주·도서산간 surcharges come from the staff-edited table (pricing.ShippingSurcharge).
SHIPPING_BASE_FEE = env.int("SHIPPING_BASE_FEE", default=3000)
SHIPPING_FREE_THRESHOLD = env.int("SHIPPING_FREE_THRESHOLD", default=50000)
# Each process reads that table at most this often (pricing.selectors._SurchargeTable); a staff change applies at
# once in the process that saved it and within this many seconds everywhere else. 0 reads it for every quote.
PRICING_SURCHARGE_CACHE_SECONDS = env.int("PRICING_SURCHARGE_CACHE_SECONDS", default=5)
