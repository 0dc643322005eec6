"""The couriers Korean shops hand parcels to, and where a customer follows a parcel on each one's site.

One table: the admin's choices, the CSV import's names (``courier_find`` accepts the code, the Korean name or
the English one) and the tracking link on the order page and in the shipped email all read it.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Courier:
    code: str
    name: str
    # The courier's public tracking page; ``{number}`` is the tracking number (URL-quoted).
    tracking_url: str
    aliases: tuple[str, ...] = ()


COURIERS = {
    courier.code: courier
    for courier in (
        Courier(
            "cj",
            _("CJ Logistics"),
            "https://trace.cjlogistics.com/next/tracking.html?wblNo={number}",
            ("CJ대한통운", "대한통운", "CJ"),
        ),
        Courier(
            "lotte",
            _("Lotte Global Logistics"),
            "https://www.lotteglogis.com/home/reservation/tracking/linkView?InvNo={number}",
            ("롯데택배", "롯데글로벌로지스", "롯데"),
        ),
        Courier(
            "hanjin",
            _("Hanjin Express"),
            "https://www.hanjin.com/kor/CMS/DeliveryMgr/WaybillResult.do?mCode=MN038&schLang=KR&wblnumText2={number}",
            ("한진택배", "한진"),
        ),
        Courier(
            "epost",
            _("Korea Post"),
            "https://service.epost.go.kr/trace.RetrieveDomRigiTraceList.comm?sid1={number}",
            ("우체국택배", "우체국", "KPOST"),
        ),
        Courier("logen", _("Logen"), "https://www.ilogen.com/web/personal/trace/{number}", ("로젠택배", "로젠")),
        Courier(
            "kdexp",
            _("Kyungdong Express"),
            "https://kdexp.com/service/delivery/etc/delivery.do?barcode={number}",
            ("경동택배", "경동"),
        ),
        Courier(
            "cvsnet",
            _("GS Postbox"),
            "https://www.cvsnet.co.kr/invoice/tracking.do?invoice_no={number}",
            ("GS Postbox 택배", "GS택배", "편의점택배"),
        ),
    )
}
COURIER_CHOICES = [(courier.code, courier.name) for courier in COURIERS.values()]


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def courier_find(name: str) -> Courier | None:
    """The courier a person means by ``name`` (code, Korean or English name, spaces and case ignored)."""
    key = _key(name)
    with translation.override("en"):
        english = {code: _key(str(courier.name)) for code, courier in COURIERS.items()}
    for courier in COURIERS.values():
        names = {_key(courier.code), english[courier.code], _key(str(courier.name))}
        if key in names or key in {_key(alias) for alias in courier.aliases}:
            return courier
    return None


def tracking_url(courier_code: str, number: str) -> str:
    """The courier's tracking page for this parcel, or "" when either is unknown."""
    courier = COURIERS.get(courier_code)
    if courier is None or not number:
        return ""
    return courier.tracking_url.format(number=quote(number, safe=""))
