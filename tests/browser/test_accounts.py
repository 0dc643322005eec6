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
    page.get_by_label("이름").fill("브라우저")
    page.get_by_label("휴대폰 번호").fill("010-1111-2222")
    page.get_by_label("이용약관에 동의합니다 (필수)").check()
    page.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_label("만 14세 이상입니다 (필수)").check()
    shoot("signup")
    page.get_by_role("button", name="이메일로 가입하기").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.filter(email="browser@example.com").exists()
    page.goto(accounts_fixtures.CONFIRM_LINK.search(mailoutbox[-1].body).group(0))
    page.locator("main form").get_by_role("button").click()
    page.wait_for_url("**/")

    page.get_by_role("navigation").get_by_role("link", name="브라우저님").click()
    assert page.get_by_label("이름").input_value() == "브라우저"  # the name given at sign-up
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
    assert page.get_by_role("navigation").get_by_role("link", name="브라우저님").is_visible()
    shoot("logged-in")


def test_a_kakao_customer_logs_in_with_the_kakao_button_and_sees_their_name(page, shoot, kakao):
    kakao.add_user(3001, email="kakao-browser@kakao.example", nickname="카카오손님")
    kakao.signed_in = 3001

    page.goto("/accounts/login/")
    shoot("login-with-kakao")
    page.get_by_role("button", name="카카오 로그인").click()
    page.wait_for_url("**/accounts/3rdparty/signup/")
    assert page.get_by_label("이름").input_value() == "카카오손님"
    page.get_by_label("휴대폰 번호").fill("010-3333-4444")
    page.get_by_label("이용약관에 동의합니다 (필수)").check()
    page.get_by_label("개인정보 수집·이용에 동의합니다 (필수)").check()
    page.get_by_label("만 14세 이상입니다 (필수)").check()
    shoot("kakao-signup-consents")
    page.locator("main form").get_by_role("button").last.click()
    page.wait_for_url("**/")

    assert page.get_by_role("navigation").get_by_role("link", name="카카오손님님").is_visible()
    assert User.objects.get(email="kakao-browser@kakao.example").socialaccount_set.exists()
    shoot("logged-in-with-kakao")


# --- 우편번호 찾기 -------------------------------------------------------------------------------------------
POSTCODE_SCRIPT = "**/mapjsapi/bundle/postcode/prod/postcode.v2.js"
# Stands in for Daum's script: the same constructor and callback, answering as a search for 테헤란로 152 would.
POSTCODE_STANDIN = """
window.daum = {Postcode: function (options) {
  this.open = function () {
    options.oncomplete({zonecode: "06236", roadAddress: "서울 강남구 테헤란로 152", jibunAddress: "서울 강남구 역삼동 737",
                        address: "서울 강남구 테헤란로 152", addressType: "R", userSelectedType: "R"});
  };
}};
"""


def _log_in(page, email):
    User.objects.create_user(email=email, password=PASSWORD, name="주소고객")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=User.objects.get(email=email), email=email, primary=True, verified=True)
    page.goto("/accounts/login/")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_url("**/")


def _fill_recipient(page):
    page.get_by_label("받는 분").fill("박민수")
    page.get_by_label("연락처").fill("010-9876-5432")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_postcode_search_fills_the_postal_code_and_road_address(page, shoot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.route(POSTCODE_SCRIPT, lambda route: route.fulfill(body=POSTCODE_STANDIN, content_type="text/javascript"))
    _log_in(page, f"postcode{width}@example.com")

    page.goto("/accounts/addresses/new/")
    _fill_recipient(page)
    page.get_by_role("button", name="우편번호 찾기").click()
    assert page.get_by_label("우편번호").input_value() == "06236"
    assert page.get_by_label("주소", exact=True).input_value() == "서울 강남구 테헤란로 152"
    page.get_by_label("상세 주소").fill("3층")
    shoot(f"postcode-filled-{width}")
    page.get_by_role("button", name="저장").click()

    assert page.get_by_text("배송지를 추가했습니다.").is_visible()
    address = Address.objects.get()
    assert (address.postal_code, address.address, address.detail) == ("06236", "서울 강남구 테헤란로 152", "3층")


def test_with_the_postcode_script_blocked_the_address_is_typed_by_hand(page, shoot):
    page.route(POSTCODE_SCRIPT, lambda route: route.abort())
    _log_in(page, "offline@example.com")

    page.goto("/accounts/addresses/new/")
    assert not page.get_by_role("button", name="우편번호 찾기").is_visible()
    _fill_recipient(page)
    page.get_by_label("우편번호").fill("0623")
    page.get_by_label("주소", exact=True).fill("서울특별시 강남구 테헤란로 152")
    page.get_by_role("button", name="저장").click()
    assert page.get_by_text("5자리 우편번호를 입력하세요.").is_visible()
    page.get_by_label("우편번호").fill("06236")
    page.get_by_role("button", name="저장").click()

    assert page.get_by_text("배송지를 추가했습니다.").is_visible()
    shoot("postcode-by-hand")
    assert Address.objects.get().postal_code == "06236"


def test_deleting_an_address_goes_through_a_confirmation_page(page, shoot):
    _log_in(page, "delete@example.com")
    Address.objects.create(
        user=User.objects.get(email="delete@example.com"),
        recipient="박민수",
        phone="010-9876-5432",
        postal_code="06236",
        address="서울 강남구 테헤란로 152",
        is_default=True,
    )
    page.goto("/accounts/addresses/")
    page.get_by_role("link", name="삭제").click()
    assert page.get_by_role("heading", name="배송지를 삭제할까요?").is_visible()
    assert Address.objects.exists()
    shoot("confirm-delete")
    page.locator("main form").get_by_role("button", name="삭제").click()

    assert page.get_by_text("배송지를 삭제했습니다.").is_visible()
    assert not Address.objects.exists()
