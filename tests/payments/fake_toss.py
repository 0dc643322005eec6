"""A local stand-in for Toss Payments' core API v1 that speaks its protocol over HTTP.

It runs in a thread on 127.0.0.1 (port 0), so the store's real client (``payments.toss``) talks to it: confirm,
look-ups by key and by orderId, full and partial cancel, ``Idempotency-Key`` with replay (and 409 while the first
request runs), Basic auth, Toss's error codes and shapes, the 10-minute confirm window, virtual accounts and
their deposits (see /work/shared/reference/toss-protocol.md). Where no source settles an answer, the choice is
noted and can be changed per test.

Tests can make it fail: ``fault("confirm", ...)`` queues a fault for the next request to a route: an error
answer, a stall (the client times out), or a dropped connection, each before or after the work is done.
``authenticate()`` plays the customer finishing the widget; ``deposit()`` a customer paying into a virtual
account.
"""

import base64
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlsplit

import requests

from tests.loopback import LoopbackServer

KST = timezone(timedelta(hours=9))
CONFIRM_WINDOW = timedelta(minutes=10)


@dataclass
class Fault:
    kind: str  # "error" | "stall" | "drop"
    after_work: bool = False
    status: int = 500
    code: str = "FAILED_INTERNAL_SYSTEM_PROCESSING"
    message: str = "일시적인 오류가 발생했습니다."
    seconds: float = 0.0


@dataclass
class TossPayment:
    key: str
    order_id: str
    amount: int
    method: str
    authenticated_at: datetime
    status: str = "IN_PROGRESS"
    approved_at: datetime | None = None
    balance: int = 0
    secret: str = field(default_factory=lambda: f"ps_{secrets.token_urlsafe(20)}")
    cancels: list = field(default_factory=list)
    failure: dict | None = None
    last_transaction_key: str = ""
    due_date: datetime | None = None
    decline_code: str = ""

    def body(self) -> dict:
        """The Payment object (version 2022-11-16) as Toss returns it."""
        vat = (self.balance * 10 + 55) // 110 if self.balance else 0
        body = {
            "mId": "tvivarepublica",
            "version": "2022-11-16",
            "lastTransactionKey": self.last_transaction_key or None,
            "paymentKey": self.key,
            "orderId": self.order_id,
            "orderName": "주문",
            "taxExemptionAmount": 0,
            "status": self.status,
            "requestedAt": _ts(self.authenticated_at),
            "approvedAt": _ts(self.approved_at) if self.approved_at else None,
            "useEscrow": False,
            "cultureExpense": False,
            "card": None,
            "virtualAccount": None,
            "transfer": None,
            "mobilePhone": None,
            "giftCertificate": None,
            "cashReceipt": None,
            "cashReceipts": None,
            "discount": None,
            "cancels": self.cancels or None,
            "secret": self.secret,
            "type": "NORMAL",
            "easyPay": None,
            "country": "KR",
            "failure": self.failure,
            "isPartialCancelable": True,
            "receipt": {"url": f"https://dashboard.tosspayments.com/receipt/redirection?transactionId={self.key}"},
            "checkout": {"url": f"https://api.tosspayments.com/v1/payments/{self.key}/checkout"},
            "currency": "KRW",
            "totalAmount": self.amount,
            "balanceAmount": self.balance,
            "suppliedAmount": self.balance - vat,
            "vat": vat,
            "taxFreeAmount": 0,
            "method": self.method,
            "metadata": None,
        }
        if self.method == "카드":
            body["card"] = {
                "issuerCode": "61",
                "acquirerCode": "31",
                "number": "12345678****000*",
                "installmentPlanMonths": 0,
                "isInterestFree": False,
                "approveNo": "00000000",
                "cardType": "신용",
                "ownerType": "개인",
                "acquireStatus": "READY",
                "amount": self.amount,
            }
        if self.method == "가상계좌":
            body["virtualAccount"] = {
                "accountType": "일반",
                "accountNumber": "X6505636518308",
                "bankCode": "20",
                "customerName": "김하늘",
                "dueDate": _ts(self.due_date) if self.due_date else None,
                "refundStatus": "NONE",
                "expired": self.status == "EXPIRED",
                "settlementStatus": "INCOMPLETED",
                "refundReceiveAccount": None,
            }
        return body


def _ts(moment: datetime) -> str:
    return moment.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S+09:00")


class TossApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


class FakeToss:
    def __init__(self, secret_key: str = "test_sk_fake_0123456789"):
        self.secret_key = secret_key
        self.payments: dict[str, TossPayment] = {}
        self.executed: Counter = Counter()  # ("confirm" | "cancel", paymentKey) -> times the work was done
        self.requests: list[tuple[str, str, str]] = []  # (method, path, idempotency key)
        self.faults: dict[str, list[Fault]] = {}
        self.clock_offset = timedelta()
        self._idempotent: dict[tuple, tuple[int, dict]] = {}
        self._running: set[tuple] = set()
        self._lock = threading.RLock()
        self._http = None

    # --- what tests do ------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(tz=KST) + self.clock_offset

    def authenticate(self, *, order_id: str, amount: int, method: str = "카드", decline: str = "") -> str:
        """The customer finished Toss's payment window: a payment awaiting confirm, and its paymentKey."""
        key = f"tviva{self.now():%Y%m%d%H%M%S}{secrets.token_hex(3)}"
        with self._lock:
            self.payments[key] = TossPayment(
                key=key, order_id=order_id, amount=amount, method=method, authenticated_at=self.now(),
                decline_code=decline,
            )  # fmt: skip
        return key

    def fault(self, route: str, kind: str = "error", *, times: int = 1, **options) -> None:
        """The next ``times`` requests to ``route`` (confirm, cancel, get, get_by_order) meet this fault."""
        with self._lock:
            self.faults.setdefault(route, []).extend(Fault(kind, **options) for _ in range(times))

    def deposit(self, payment_key: str) -> dict:
        """The customer paid into the virtual account: DONE, and the DEPOSIT_CALLBACK body Toss would send."""
        with self._lock:
            payment = self.payments[payment_key]
            payment.status, payment.balance, payment.approved_at = "DONE", payment.amount, self.now()
            payment.last_transaction_key = secrets.token_hex(16)
            return self.deposit_callback(payment_key)

    def expire_deposit(self, payment_key: str) -> dict:
        """The due date passed without a deposit."""
        with self._lock:
            payment = self.payments[payment_key]
            payment.status = "EXPIRED"
            return self.deposit_callback(payment_key)

    def deposit_callback(self, payment_key: str, *, secret: str | None = None) -> dict:
        payment = self.payments[payment_key]
        return {
            "createdAt": self.now().strftime("%Y-%m-%dT%H:%M:%S.000000"),
            "secret": payment.secret if secret is None else secret,
            "status": payment.status,
            "transactionKey": payment.last_transaction_key or secrets.token_hex(16),
            "orderId": payment.order_id,
        }

    def status_changed(self, payment_key: str) -> dict:
        """A PAYMENT_STATUS_CHANGED webhook body for the payment as it is now."""
        return {
            "eventType": "PAYMENT_STATUS_CHANGED",
            "createdAt": self.now().strftime("%Y-%m-%dT%H:%M:%S.000000"),
            "data": self.payments[payment_key].body(),
        }

    def send_webhook(self, url: str, body: dict, *, retried: int = 0) -> requests.Response:
        """POST a webhook to the store the way Toss does (JSON, its transmission headers)."""
        headers = {
            "tosspayments-webhook-transmission-time": self.now().strftime("%Y-%m-%dT%H:%M:%S+09:00"),
            "tosspayments-webhook-transmission-retried-count": str(retried),
            "tosspayments-webhook-transmission-id": f"whtrans_{secrets.token_hex(12)}",
        }
        return requests.post(url, json=body, headers=headers, timeout=10)

    # --- server -------------------------------------------------------------------------------------------
    def start(self):
        fake = self

        class Handler(TossHandler):
            toss = fake

        self._http = LoopbackServer(Handler).start()
        return self

    def stop(self):
        if getattr(self, "_http", None) is not None:
            self._http.stop()
            self._http = None

    @property
    def url(self) -> str:
        return self._http.url

    # --- the API ------------------------------------------------------------------------------------------
    def confirm(self, body: dict) -> dict:
        key, order_id, amount = body.get("paymentKey"), body.get("orderId"), body.get("amount")
        if not key or not order_id or amount in (None, ""):
            raise TossApiError(400, "INVALID_REQUEST", "잘못된 요청입니다.")
        try:
            amount = int(amount)  # the official sample posts it as a string
        except (TypeError, ValueError):
            raise TossApiError(400, "INVALID_REQUEST", "잘못된 요청입니다.") from None
        with self._lock:
            payment = self.payments.get(key)
            if payment is None:
                raise TossApiError(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.")
            if payment.order_id != order_id:
                raise TossApiError(
                    404, "NOT_FOUND_PAYMENT_SESSION", "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다."
                )
            if payment.status != "IN_PROGRESS":
                if payment.status == "EXPIRED":
                    raise TossApiError(
                        404, "NOT_FOUND_PAYMENT_SESSION", "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다."
                    )
                raise TossApiError(400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.")
            if self.now() - payment.authenticated_at > CONFIRM_WINDOW:
                payment.status = "EXPIRED"
                raise TossApiError(
                    404, "NOT_FOUND_PAYMENT_SESSION", "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다."
                )
            # No documented code for a different amount; integrators report INVALID_REQUEST (UNCONFIRMED).
            if amount != payment.amount:
                raise TossApiError(400, "INVALID_REQUEST", "결제 금액이 일치하지 않습니다.")
            self.executed["confirm", key] += 1
            if payment.decline_code:
                payment.status = "ABORTED"
                payment.failure = {"code": payment.decline_code, "message": "카드사에서 거절했습니다."}
                raise TossApiError(403, payment.decline_code, "카드사에서 거절했습니다.")
            payment.last_transaction_key = secrets.token_hex(16)
            if payment.method == "가상계좌":
                payment.status, payment.due_date = "WAITING_FOR_DEPOSIT", self.now() + timedelta(days=3)
            else:
                payment.status, payment.balance, payment.approved_at = "DONE", payment.amount, self.now()
            return payment.body()

    def cancel(self, key: str, body: dict) -> dict:
        reason = body.get("cancelReason")
        if not reason:
            raise TossApiError(400, "INVALID_REQUEST", "취소 사유를 입력해주세요.")
        with self._lock:
            payment = self.payments.get(key)
            if payment is None:
                raise TossApiError(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.")
            if payment.status == "CANCELED":
                raise TossApiError(400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다.")
            if payment.status not in ("DONE", "PARTIAL_CANCELED", "WAITING_FOR_DEPOSIT"):
                raise TossApiError(403, "NOT_CANCELABLE_PAYMENT", "취소 할 수 없는 결제 입니다.")
            waiting = payment.status == "WAITING_FOR_DEPOSIT"
            remaining = payment.amount if waiting else payment.balance
            amount = body.get("cancelAmount", remaining)
            if not isinstance(amount, int) or amount <= 0:
                raise TossApiError(400, "INVALID_REQUEST", "잘못된 요청입니다.")
            if waiting and amount != remaining:
                raise TossApiError(
                    403, "NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT", "입금 대기중인 결제는 부분 환불이 불가합니다."
                )
            if amount > remaining:
                raise TossApiError(403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다.")
            if payment.method == "가상계좌" and not waiting:
                account = body.get("refundReceiveAccount") or {}
                if not (
                    account.get("bank")
                    and str(account.get("accountNumber", "")).isdigit()
                    and account.get("holderName")
                ):
                    raise TossApiError(400, "INVALID_REFUND_ACCOUNT_INFO", "환불 계좌 정보가 올바르지 않습니다.")
            self.executed["cancel", key] += 1
            transaction_key = secrets.token_hex(16)
            if not waiting:
                payment.balance -= amount
            payment.cancels.append(
                {
                    "transactionKey": transaction_key,
                    "cancelReason": reason,
                    "taxExemptionAmount": 0,
                    "canceledAt": _ts(self.now()),
                    "transferDiscountAmount": 0,
                    "easyPayDiscountAmount": 0,
                    "receiptKey": None,
                    "cancelAmount": amount,
                    "taxFreeAmount": 0,
                    "refundableAmount": payment.balance,
                    "cancelStatus": "DONE",
                    "cancelRequestId": None,
                }
            )
            payment.last_transaction_key = transaction_key
            payment.status = "CANCELED" if waiting or payment.balance == 0 else "PARTIAL_CANCELED"
            return payment.body()

    def get(self, key: str) -> dict:
        with self._lock:
            payment = self.payments.get(key)
            if payment is None:
                raise TossApiError(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.")
            self._expire_if_late(payment)
            return payment.body()

    def get_by_order(self, order_id: str) -> dict:
        with self._lock:
            matching = [p for p in self.payments.values() if p.order_id == order_id]
            if not matching:
                raise TossApiError(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.")
            # The latest payment for the order (UNCONFIRMED which one Toss returns when there are several).
            payment = max(matching, key=lambda p: p.authenticated_at)
            self._expire_if_late(payment)
            return payment.body()

    def _expire_if_late(self, payment):
        if payment.status == "IN_PROGRESS" and self.now() - payment.authenticated_at > CONFIRM_WINDOW:
            payment.status = "EXPIRED"


class TossHandler(BaseHTTPRequestHandler):
    toss: FakeToss
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep the test output clean
        pass

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def _route(self, method):
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        idempotency_key = self.headers.get("Idempotency-Key", "")
        self.toss.requests.append((method, path, idempotency_key))
        auth = self._auth_error()
        if auth is not None:
            return self._json(*auth)
        parts = path.strip("/").split("/")
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self._json(400, {"code": "INVALID_REQUEST", "message": "잘못된 요청입니다."})
        if method == "POST" and parts == ["v1", "payments", "confirm"]:
            route, work = "confirm", lambda: self.toss.confirm(body)
        elif method == "POST" and len(parts) == 4 and parts[:2] == ["v1", "payments"] and parts[3] == "cancel":
            route, work = "cancel", lambda: self.toss.cancel(unquote(parts[2]), body)
        elif method == "GET" and len(parts) == 4 and parts[:3] == ["v1", "payments", "orders"]:
            route, work = "get_by_order", lambda: self.toss.get_by_order(unquote(parts[3]))
        elif method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "payments"]:
            route, work = "get", lambda: self.toss.get(unquote(parts[2]))
        else:
            return self._json(404, {"code": "NOT_FOUND", "message": "Not Found"})
        if method == "POST" and idempotency_key:
            return self._idempotent(route, (idempotency_key, method, path), work)
        self._answer(route, work)

    def _auth_error(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return 401, {"code": "UNAUTHORIZED_KEY", "message": "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다."}
        try:
            decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
        except ValueError:
            decoded = ""
        if ":" not in decoded:
            return 403, {
                "code": "INCORRECT_BASIC_AUTH_FORMAT",
                "message": "잘못된 요청입니다. ':' 를 포함해 인코딩해주세요.",
            }
        if decoded.split(":", 1)[0] != self.toss.secret_key:
            return 401, {"code": "UNAUTHORIZED_KEY", "message": "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다."}
        return None

    def _idempotent(self, route, scope, work):
        with self.toss._lock:
            stored = self.toss._idempotent.get(scope)
            running = scope in self.toss._running
            if stored is None and not running:
                self.toss._running.add(scope)
        if stored is not None:
            return self._json(*stored)
        if running:
            return self._json(
                409, {"code": "IDEMPOTENT_REQUEST_PROCESSING", "message": "이전 멱등 요청이 처리중입니다."}
            )
        try:
            self._answer(route, work, store=scope)
        finally:
            with self.toss._lock:
                self.toss._running.discard(scope)

    def _answer(self, route, work, store=None):
        fault = self._next_fault(route)
        if fault and not fault.after_work and self._fail(fault):
            return
        try:
            status, body = 200, work()
        except TossApiError as exc:
            status, body = exc.status, {"code": exc.code, "message": exc.message}
        if store is not None:
            with self.toss._lock:
                self.toss._idempotent[store] = (status, body)  # errors are replayed too (UNCONFIRMED)
        if fault and fault.after_work and self._fail(fault):
            return
        self._json(status, body)

    def _next_fault(self, route):
        with self.toss._lock:
            queue = self.toss.faults.get(route) or []
            return queue.pop(0) if queue else None

    def _fail(self, fault) -> bool:
        """Carry out a fault; True if the request ends here."""
        if fault.kind == "stall":
            time.sleep(fault.seconds)
            return False
        if fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        self._json(fault.status, {"code": fault.code, "message": fault.message})
        return True

    def _json(self, status, body):
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        try:
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a stall fault): what Toss would see too
