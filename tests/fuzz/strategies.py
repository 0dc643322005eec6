"""What the fuzz tests send: hostile values, JSON documents and bodies, as hypothesis strategies.

Everything here is plain data; ``tests/fuzz/conftest.py`` turns it into requests.
"""

import json

from hypothesis import strategies as st

# Names the site reads from query strings, forms and JSON bodies, so random values land where code looks.
FIELD_NAMES = (
    "product_id", "quantity", "lines", "address_id", "address", "postal_code", "phone", "recipient", "detail",
    "memo", "email", "password", "password1", "password2", "key", "token", "provider", "process", "client_id",
    "access_token", "id_token", "next", "choice", "save_address", "is_default", "name", "buy_now", "page",
    "after", "sort", "q", "category", "min_price", "max_price", "in_stock", "code", "action", "language",
    "_selected_action", "select_across", "index", "post", "status", "next_status", "new_courier", "new_tracking_number",
    "price", "stock", "slug", "parent", "o", "p", "e", "id__exact", "status__exact", "all", "_changelist_filters",
    "callback_url", "refresh_token", "current_password", "new_password", "primary", "verified", "_popup",
)  # fmt: skip

HUGE_NUMBERS = ("9" * 19, str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "1" + "0" * 5000, "-" + "9" * 30)
NON_ASCII_DIGITS = ("١٢٣٤٥", "１２３４５", "۱۲۳", "²", "²³", "𝟙𝟚𝟛", "৫", "12٣45", "٠")
ODD_TEXT = (
    "", " ", "0", "-1", "1", "99", "100", "1.5", "1e5", "NaN", "Infinity", "true", "null", "[]", "{}", "\x00",
    "%", "%00", "../../etc/passwd", "<script>alert(1)</script>", "'", '"', "가방", "a" * 3000, "0x10", " 7 ",
    "06236", "010-1234-5678", "a.b.c", "1.2", "0.0", "9.9.9",
)  # fmt: skip
DEPTH = 3000  # 6 KB of brackets: far deeper than Python's recursion limit

DEEP_BODIES = (
    "[" * DEPTH + "]" * DEPTH,
    '{"a":' * DEPTH + "1" + "}" * DEPTH,
    '{"lines": ' + "[" * DEPTH + "]" * DEPTH + "}",
    "[" * DEPTH,
)
MALFORMED_BODIES = (b"{", b"not json", b'{"a": }', b"\xff\xfe\x00", b'{"a": NaN}', b"[1, 2", b"null", b"1", b'"x"')
CONTENT_TYPES = (
    "application/json",
    "application/json; charset=latin1",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "text/plain",
    "application/xml",
)


def hostile_text():
    """Text a URL, a query string or a form may carry."""
    return st.one_of(
        st.sampled_from(HUGE_NUMBERS + NON_ASCII_DIGITS + ODD_TEXT),
        st.text(max_size=30),
        st.integers().map(str),
    )


def json_values():
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([2**63, 2**64, -(2**63) - 1, 10**30]),
        st.floats(allow_nan=False, allow_infinity=False),
        hostile_text(),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), children, max_size=4),
        ),
        max_leaves=12,
    )


def json_bodies():
    """A JSON object over the site's field names (most endpoints want one), any JSON document, or a deep one."""
    documents = st.one_of(
        st.dictionaries(st.sampled_from(FIELD_NAMES), json_values(), max_size=6),
        json_values(),
    )
    return st.one_of(documents.map(lambda doc: json.dumps(doc).encode()), st.sampled_from(DEEP_BODIES).map(str.encode))


def form_data():
    values = st.one_of(hostile_text(), st.lists(hostile_text(), min_size=2, max_size=3))
    return st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(min_size=1, max_size=8), values, max_size=6)


@st.composite
def bodies(draw):
    """(content type, body bytes) for a request with a body, or None."""
    kind = draw(st.sampled_from(["none", "json", "form", "bytes", "malformed"]))
    if kind == "none":
        return None
    if kind == "json":
        return "application/json", draw(json_bodies())
    if kind == "form":
        return "form", draw(form_data())
    if kind == "malformed":
        return draw(st.sampled_from(CONTENT_TYPES)), draw(st.sampled_from(MALFORMED_BODIES))
    return draw(st.sampled_from(CONTENT_TYPES)), draw(st.binary(max_size=200))
