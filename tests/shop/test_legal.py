"""The seller's legal details in the footer, and the terms and privacy policy staff publish in versions."""

import datetime

import pytest
from django.utils import timezone

from shop.models import LegalDocument
from shop.selectors import legal_document_current

pytestmark = pytest.mark.django_db


def test_the_footer_shows_the_sellers_details_with_the_ftc_lookup_link(client, settings):
    settings.SELLER_INFO = {"ko": {**settings.SELLER_INFO["ko"], "business_number": "220-81-62517"}, "en": {}}
    html = client.get("/").content.decode()
    for label in ("상호", "대표자", "사업자등록번호", "통신판매업 신고번호", "주소", "고객센터", "개인정보관리책임자"):
        assert label in html
    assert "https://www.ftc.go.kr/bizCommPop.do?wrkr_no=2208162517" in html


def test_the_current_version_is_the_latest_in_effect(db):
    now = timezone.now()
    LegalDocument.objects.create(kind="terms", version="v2", effective_at=now - datetime.timedelta(days=1), body_ko="2")
    LegalDocument.objects.create(kind="terms", version="v3", effective_at=now + datetime.timedelta(days=7), body_ko="3")
    assert legal_document_current("terms").version == "v2"


def test_the_terms_page_shows_the_current_version_and_links_the_earlier_ones(client):
    LegalDocument.objects.create(kind="terms", version="v9", effective_at=timezone.now(), body_ko="새 약관 본문")
    html = client.get("/terms/").content.decode()
    assert "새 약관 본문" in html
    assert "?version=2026-01-01" in html
    assert "새 약관 본문" not in client.get("/terms/", {"version": "2026-01-01"}).content.decode()


def test_an_unknown_version_is_a_404(client):
    assert client.get("/privacy/", {"version": "nope"}).status_code == 404


def test_english_pages_show_the_english_text(client):
    client.cookies["django_language"] = "en"
    html = client.get("/privacy/").content.decode()
    assert "What we collect" in html


def test_a_version_in_effect_is_read_only_in_the_admin_and_a_scheduled_one_is_not(admin_client):
    current = legal_document_current("terms")
    assert 'name="body_ko"' not in admin_client.get(f"/admin/shop/legaldocument/{current.pk}/change/").content.decode()
    later = LegalDocument.objects.create(
        kind="terms", version="next", effective_at=timezone.now() + datetime.timedelta(days=3), body_ko="다음"
    )
    assert 'name="body_ko"' in admin_client.get(f"/admin/shop/legaldocument/{later.pk}/change/").content.decode()
