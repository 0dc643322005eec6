"""Hostile input to every URL pattern of the site, as anonymous, customer and staff: never a 500, and the
APIs answer every error as JSON. The patterns are read from the resolver at run time, so new apps' URLs are
fuzzed without changes here. Deterministic (derandomized) and bounded, so CI is repeatable."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import ROLES, assert_answered_well, fuzz_settings, send, url_routes
from .strategies import DEEP_BODIES, FIELD_NAMES, HUGE_NUMBERS, NON_ASCII_DIGITS, bodies, hostile_text

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HEADER_NAMES = ("X-Session-Token", "Authorization", "Idempotency-Key", "X-Request-ID", "Accept-Language", "Cookie")
# Generated documents that read no input and take seconds to build (allauth's spec takes 2-7 s here): one
# request each with the hostile query, no random examples.
DOCUMENTS = ("/_allauth/openapi.json", "/_allauth/openapi.yaml", "/api/v1/schema/", "/metrics")
FUZZ = fuzz_settings(max_examples=5)
# 500s that another part of issue 12 fixes (unused and unconfigured allauth features answer 404). Remove an
# entry once that part is merged. Not strict: whether random requests reach the 500 depends on the draws.
ODD_VALUES = HUGE_NUMBERS + NON_ASCII_DIGITS
# Stand-ins for path parameters: past 64 bits, past Python's digit limit, non-ASCII digits.
ODD_PATH_VALUES = (str(2**63), str(2**64), "9" * 40, "1" + "0" * 5000, "١٢٣٤٥", "１２３４５", "²", "𝟙𝟚𝟛")


def _real(converter, name, real):
    return real[0]


def _fixed_requests(world, route):
    """Each role posts a 6 KB deep JSON body and sends a query of ODD_VALUES (huge and non-ASCII numbers) as
    query values; ODD_PATH_VALUES stand in for the route's path parameters (the roles take turns)."""
    path = world.fill(route, _real)
    if route in DOCUMENTS:
        yield "anonymous", "GET", path, dict(zip(FIELD_NAMES, ODD_VALUES, strict=False)), None
        return
    for number, role in enumerate(ROLES):
        yield role, "POST", path, None, ("application/json", DEEP_BODIES[number % 2].encode())
        query = {name: ODD_VALUES[(number + i) % len(ODD_VALUES)] for i, name in enumerate(FIELD_NAMES)}
        yield role, "GET", path, query, None
    if "<" in route:
        for number, value in enumerate(ODD_PATH_VALUES):
            odd_path = world.fill(route, lambda converter, name, real, value=value: value)
            yield ROLES[number % len(ROLES)], "GET", odd_path, None, None


@pytest.mark.parametrize("route", list(url_routes()))
def test_hostile_requests_get_no_server_error(world, route):
    for role, method, path, query, body in _fixed_requests(world, route):
        assert_answered_well(send(world.client(role), method, path, query=query, body=body), method, path)
    if route in DOCUMENTS:
        return

    @FUZZ
    @given(
        role=st.sampled_from(ROLES),
        method=st.sampled_from(METHODS),
        path_values=st.lists(st.one_of(hostile_text(), st.just(None)), min_size=4, max_size=4),
        query=st.dictionaries(st.sampled_from(FIELD_NAMES), hostile_text(), max_size=4),
        body=bodies(),
        headers=st.dictionaries(st.sampled_from(HEADER_NAMES), hostile_text(), max_size=2),
    )
    def random_request(role, method, path_values, query, body, headers):
        values = iter(path_values)

        def pick(converter, name, real):
            value = next(values, None)
            return real[0] if value is None else value

        path = world.fill(route, pick)
        response = send(world.client(role), method, path, query=query, body=body, headers=headers)
        assert_answered_well(response, method, path)

    random_request()
