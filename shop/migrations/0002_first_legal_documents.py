"""The first versions of the terms and the privacy policy, so sign-up has a version to record. Staff publish
the shop's real texts as new versions in the admin."""

import datetime

from django.db import migrations

TERMS_KO = """제1조 (목적)
이 약관은 하늘마켓(이하 "회사")이 운영하는 온라인 쇼핑몰에서 제공하는 서비스의 이용 조건과 절차, 회사와 이용자의 권리·의무를 정합니다.

제2조 (청약철회)
이용자는 상품을 받은 날부터 7일 이내에 청약을 철회할 수 있습니다(전자상거래법 제17조)."""
TERMS_EN = """Article 1 (Purpose)
These terms set out the conditions of the online store run by Hanul Market ("the Company") and the rights and duties of the Company and its customers.

Article 2 (Withdrawal)
A customer may withdraw an order within 7 days of receiving the goods (Electronic Commerce Act, Article 17)."""
PRIVACY_KO = """1. 수집하는 개인정보: 이메일, 이름, 휴대폰 번호, 배송지 주소, 주문·결제 기록
2. 이용 목적: 회원 관리, 주문 처리와 배송, 고객 상담
3. 보유 기간: 회원 탈퇴 시까지. 다만 전자상거래법에 따라 계약·결제 기록은 5년, 소비자 불만·분쟁 기록은 3년 보관합니다.
4. 개인정보 보호책임자: 페이지 아래의 연락처를 참고하세요."""
PRIVACY_EN = """1. What we collect: email, name, mobile number, delivery addresses, order and payment records
2. Why: running your account, processing and delivering orders, customer service
3. How long: until you close your account, except that the Electronic Commerce Act has us keep contract and payment records for 5 years and complaint records for 3 years.
4. Chief privacy officer: see the contact details at the bottom of the page."""


def create(apps, schema_editor):
    LegalDocument = apps.get_model("shop", "LegalDocument")
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for kind, ko, en in (("terms", TERMS_KO, TERMS_EN), ("privacy", PRIVACY_KO, PRIVACY_EN)):
        LegalDocument.objects.get_or_create(
            kind=kind, version="2026-01-01", defaults={"effective_at": start, "body_ko": ko, "body_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
