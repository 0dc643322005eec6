"""The 제주·도서산간 surcharge table from a CSV file of postal code ranges (staff, in the admin): read and checked
first (a preview with per-row errors), then replacing the whole table at once (``services.surcharges_replace``).

The file has a header ``name,postal_code_from,postal_code_to,fee`` and a row per range, e.g.
``제주,63000,63644,3000``; a range of one postal code has it in both columns.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

HEADER = ["name", "postal_code_from", "postal_code_to", "fee"]
MAX_ROWS = 5000
MAX_FEE = 1_000_000


@dataclass
class SurchargeRow:
    line: int
    name: str
    start: str
    end: str
    fee: int | None
    error: str = ""


@dataclass
class SurchargePlan:
    rows: list[SurchargeRow]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows) and not any(row.error for row in self.rows)


def surcharge_import_read(*, text: str) -> SurchargePlan:
    """Parse and check a CSV file's text; nothing is written. Each row names its error, if any."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header != HEADER:
        return SurchargePlan([], _("The first line must be “%(header)s”.") % {"header": ",".join(HEADER)})
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(_row(line, [cell.strip() for cell in cells]))
        if len(rows) > MAX_ROWS:
            return SurchargePlan([], _("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
    return SurchargePlan(rows)


def _row(line: int, cells: list[str]) -> SurchargeRow:
    if len(cells) != 4:
        return SurchargeRow(line, "", "", "", None, _("Four columns: a name, two postal codes and a fee."))
    name, start, end, fee_text = cells
    row = SurchargeRow(line, name[:100], start, end, None)
    try:
        row.fee = int(fee_text.replace(",", ""))
    except ValueError:
        row.error = _("The fee is not a whole number.")
        return row
    if not name:
        row.error = _("The area needs a name.")
    elif not (len(start) == len(end) == 5 and start.isdigit() and end.isdigit()):
        row.error = _("A postal code is 5 digits.")
    elif start > end:
        row.error = _("The range ends before it starts.")
    elif not 0 <= row.fee <= MAX_FEE:
        row.error = _("The fee must be from 0 to %(max)s won.") % {"max": f"{MAX_FEE:,}"}
    return row
