"""Shipping many orders at once from a CSV file (how Korean shops mark a day's parcels): read and checked first
(a preview with per-row errors), then every order shipped through ``services.order_mark_shipped``, all or none.

The file has a header line ``order_number,courier,tracking_number`` (Korean headers 주문번호, 택배사, 송장번호 work
too). The courier is a code or a name ``orders.couriers.courier_find`` knows (CJ대한통운, 롯데택배, 한진택배...).
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .couriers import Courier, courier_find
from .exceptions import IllegalTransition, OrderError
from .models import TRANSITIONS, Order

MAX_ROWS = 2000
MAX_TRACKING_LENGTH = 50
HEADERS = (("order_number", "courier", "tracking_number"), ("주문번호", "택배사", "송장번호"))


@dataclass
class ShipmentRow:
    line: int
    number: str
    courier_name: str
    tracking_number: str
    order: Order | None = None
    courier: Courier | None = None
    error: str = ""


@dataclass
class ShipmentPlan:
    rows: list[ShipmentRow]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows) and not any(row.error for row in self.rows)


class ShipmentImportRefused(OrderError):
    code = "shipment_import_refused"

    def __init__(self, plan: ShipmentPlan):
        super().__init__(plan)
        self.plan = plan

    @property
    def message(self):
        return self.plan.error or _("Some rows have errors: no order was shipped.")


def shipment_import_read(*, text: str) -> ShipmentPlan:
    """Parse and check a CSV file's text; nothing is written. Each row names its error, if any."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple("".join(cell.split()).lower() for cell in next(reader, []))
    if header not in HEADERS:
        return ShipmentPlan([], _("The first line must be “order_number,courier,tracking_number”."))
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(_row(line, cells))
        if len(rows) > MAX_ROWS:
            return ShipmentPlan([], _("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
    orders = Order.objects.in_bulk([row.number for row in rows if not row.error], field_name="number")
    seen = set()
    for row in rows:
        if row.error:
            continue
        row.order = orders.get(row.number)
        if row.order is None:
            row.error = _("No order with this number.")
        elif row.number in seen:
            row.error = _("This order is already on an earlier line.")
        elif Order.Status.SHIPPED not in TRANSITIONS.get(row.order.status, ()):
            row.error = _("The order is %(status)s; only an order being prepared can be shipped.") % {
                "status": row.order.get_status_display()
            }
        seen.add(row.number)
    return ShipmentPlan(rows)


def _row(line, cells) -> ShipmentRow:
    number, courier_name, tracking = (cells + ["", "", ""])[:3] if len(cells) <= 3 else ("", "", "")
    row = ShipmentRow(line, number.strip(), courier_name.strip(), "".join(tracking.split()).replace("-", ""))
    if len(cells) != 3 or not row.number:
        row.error = _("Three columns: an order number, a courier and a tracking number.")
    elif (courier := courier_find(row.courier_name)) is None:
        row.error = _("Unknown courier.")
    elif not row.tracking_number or len(row.tracking_number) > MAX_TRACKING_LENGTH:
        row.error = _("A tracking number of 1 to %(max)d characters.") % {"max": MAX_TRACKING_LENGTH}
    else:
        row.courier = courier
    return row


@transaction.atomic
def shipment_import_apply(*, text: str, actor) -> int:
    """Read the file again and ship every row's order (all or none); returns how many were shipped.

    ``ShipmentImportRefused`` when a row has an error now (an order canceled since the preview, say)."""
    plan = shipment_import_read(text=text)
    if not plan.ok:
        raise ShipmentImportRefused(plan)
    for row in sorted(plan.rows, key=lambda row: row.order.pk):
        try:
            services.order_mark_shipped(
                order=row.order, courier=row.courier.code, tracking_number=row.tracking_number, actor=actor
            )
        except IllegalTransition as exc:
            row.error = str(exc.message)
            raise ShipmentImportRefused(plan) from exc
    return len(plan.rows)
