"""Hostile values in every form of the site, as each role finds them by following links: never a 500.

Each form is submitted with its own fields, some left at the values the page gave and others replaced by huge
or non-ASCII numbers, odd text, deep lists, or random bytes for files. Deterministic and bounded like the URL
fuzz test next to it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import png_bytes

from .conftest import ROLES, assert_answered_well, fuzz_settings
from .pages import crawl
from .strategies import hostile_text

FUZZ = fuzz_settings(max_examples=4)


def _seeds(world):
    product, order, address = world.values["slug"][0], world.values["number"][0], world.values["id"][2]
    return [
        "/",
        f"/products/{product}/",
        "/search/?q=노트북",
        "/cart/",
        "/checkout/",
        f"/orders/{order}/",
        f"/accounts/addresses/{address}/edit/",
        "/accounts/profile/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/admin/",
    ]


def _submissions(form):
    def value(choices):
        given_values = st.sampled_from(choices) if choices else st.just("")
        return st.one_of(given_values, hostile_text(), st.lists(hostile_text(), min_size=2, max_size=3))

    uploads = st.one_of(st.binary(max_size=300), st.just(png_bytes()))
    return st.tuples(
        st.fixed_dictionaries({name: value(choices) for name, choices in form.fields.items()}),
        st.fixed_dictionaries(dict.fromkeys(form.files, uploads)),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_form_answers_hostile_values_without_a_server_error(world, role):
    forms = crawl(world.client(role), _seeds(world))
    assert forms, "the crawl found no forms"
    for form in forms:
        _fuzz(world, role, form)


def _fuzz(world, role, form):
    @FUZZ
    @given(submission=_submissions(form))
    def submit(submission):
        data, files = submission
        data = {**data, **{name: SimpleUploadedFile("x.png", content) for name, content in files.items()}}
        client = world.client(role)
        if form.method == "GET":
            response = client.get(form.action.split("?")[0], data)
        else:
            response = client.post(form.action, data)
        assert_answered_well(response, form.method, f"{form.action} (form on {form.page})")

    submit()
