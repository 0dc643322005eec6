"""Bulk stock from a CSV file (staff, in the admin): read and checked first (a preview with per-row errors),
then applied through ``catalog.stock`` as deltas with import movements, all rows or none.

The file has a header and two columns: ``sku_code`` and either ``stock`` (the counted quantity, applied as the
difference from the stock at that moment, like ``stock_set``) or ``delta`` (a change such as +20 or -2).
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from shop.exceptions import DomainError

from . import stock
from .models import Sku, StockMovement

MAX_ROWS = 5000
MODES = ("stock", "delta")


@dataclass
class ImportRow:
    line: int
    code: str
    value: int | None
    sku: Sku | None = None
    error: str = ""

    @property
    def current(self):
        return self.sku.stock if self.sku else None


@dataclass
class ImportPlan:
    mode: str
    rows: list[ImportRow]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows) and not any(row.error for row in self.rows)


class ImportRefused(DomainError):
    code = "stock_import_refused"

    def __init__(self, plan: ImportPlan):
        super().__init__(plan)
        self.plan = plan

    @property
    def message(self):
        return self.plan.error or _("Some rows have errors: nothing was changed.")


def stock_import_read(*, text: str) -> ImportPlan:
    """Parse and check a CSV file's text; nothing is written. Each row names its error, if any."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if len(header) != 2 or header[0] != "sku_code" or header[1] not in MODES:
        return ImportPlan("", [], _("The first line must be “sku_code,stock” or “sku_code,delta”."))
    mode, rows = header[1], []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(_row(line, cells, mode))
        if len(rows) > MAX_ROWS:
            return ImportPlan(mode, [], _("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
    skus = Sku.objects.in_bulk([row.code for row in rows if not row.error], field_name="code")
    seen = set()
    for row in rows:
        if row.error:
            continue
        row.sku = skus.get(row.code)
        if row.sku is None:
            row.error = _("No SKU with this code.")
        elif row.code in seen:
            row.error = _("This SKU is already on an earlier line.")
        elif mode == "delta" and row.sku.stock + row.value < 0:
            row.error = _("Only %(stock)d in stock.") % {"stock": row.sku.stock}
        seen.add(row.code)
    return ImportPlan(mode, rows)


def _row(line, cells, mode) -> ImportRow:
    code = cells[0].strip() if cells else ""
    if len(cells) != 2 or not code:
        return ImportRow(line, code, None, error=_("Two columns: a SKU code and a number."))
    try:
        value = int(cells[1].strip().replace(",", ""))
    except ValueError:
        return ImportRow(line, code, None, error=_("Not a whole number."))
    if mode == "stock" and value < 0:
        return ImportRow(line, code, value, error=_("A stock cannot be negative."))
    return ImportRow(line, code, value)


@transaction.atomic
def stock_import_apply(*, text: str, actor, reference: str = "") -> int:
    """Read the file again and apply every row (all or none); returns how many SKUs changed.

    ``ImportRefused`` when a row has an error, now: a sale since the preview can make a delta go below zero.
    """
    plan = stock_import_read(text=text)
    if not plan.ok:
        raise ImportRefused(plan)
    changed = 0
    for row in sorted(plan.rows, key=lambda row: row.sku.id):
        before = Sku.objects.values_list("stock", flat=True).get(pk=row.sku.pk)
        args = {"sku": row.sku, "reason": StockMovement.Reason.IMPORT, "actor": actor, "reference": reference[:64]}
        try:
            if plan.mode == "delta":
                after = stock.stock_adjust(delta=row.value, **args)
            else:
                after = stock.stock_set(target=row.value, **args)
        except DomainError as exc:
            row.error = str(exc.message)
            raise ImportRefused(plan) from exc
        changed += after != before
    return changed
