import pytest

from accounts.models import Address, User
from tests.accounts import conftest as accounts_fixtures
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

kakao = accounts_fixtures.kakao  # the fake Kakao server, here for the browser to talk to


def test_a_customer_signs_up_adds_an_address_logs_out_and_logs_back_in(page, shoot, mailoutbox):
    page.goto("/accounts/signup/")
    assert page.get_by_role("heading", name="회원가입").is_visible()
    page.get_by_label("이메일").fill("browser@example.com")
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_label("비밀번호 (확인)").fill(PASSWORD)
    shoot("signup")
    page.get_by_role("button", name="이메일로 가입하기").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.filter(email="browser@example.com").exists()
    page.goto(accounts_fixtures.CONFIRM_LINK.search(mailoutbox[-1].body).group(0))
    page.locator("main form").get_by_role("button").click()
    page.wait_for_url("**/")

    page.get_by_role("navigation").get_by_role("link", name="browser").click()
    page.get_by_label("이름").fill("브라우저")
    page.get_by_label("휴대폰 번호").fill("010-1111-2222")
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("내 정보를 저장했습니다.").is_visible()
    shoot("profile")

    page.get_by_role("link", name="배송지 관리").click()
    assert page.get_by_text("등록된 배송지가 없습니다.").is_visible()
    page.get_by_role("link", name="배송지 추가").click()
    page.get_by_label("받는 분").fill("박민수")
    page.get_by_label("연락처").fill("010-9876-5432")
    page.get_by_label("우편번호").fill("4805")
    page.get_by_label("주소", exact=True).fill("부산광역시 해운대구 센텀로 1")
    page.get_by_label("상세 주소").fill("101동 202호")
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("5자리 우편번호를 입력하세요.").is_visible()
    assert page.get_by_label("주소", exact=True).input_value() == "부산광역시 해운대구 센텀로 1"
    shoot("address-error")
    page.get_by_label("우편번호").fill("48058")
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("배송지를 추가했습니다.").is_visible()
    assert page.locator(".address.default").get_by_text("부산광역시 해운대구 센텀로 1").is_visible()
    shoot("addresses")
    assert Address.objects.get().is_default

    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name="로그인").is_visible()

    page.get_by_role("link", name="로그인").click()
    page.get_by_label("이메일").fill("browser@example.com")
    page.get_by_label("비밀번호").fill(PASSWORD)
    shoot("login")
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")
    assert page.get_by_role("navigation").get_by_role("link", name="브라우저").is_visible()
    shoot("logged-in")


def test_a_kakao_customer_logs_in_with_the_kakao_button_and_sees_their_name(page, shoot, kakao):
    kakao.add_user(3001, email="kakao-browser@kakao.example", nickname="카카오손님")
    kakao.signed_in = 3001

    page.goto("/accounts/login/")
    shoot("login-with-kakao")
    page.get_by_role("button", name="카카오 로그인").click()
    page.wait_for_url("**/")

    assert page.get_by_role("navigation").get_by_role("link", name="카카오손님").is_visible()
    assert User.objects.get(email="kakao-browser@kakao.example").socialaccount_set.exists()
    shoot("logged-in-with-kakao")
