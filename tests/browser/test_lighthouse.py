"""Lighthouse (npm's, tools/lighthouse) at phone size on the home, category, product and search pages: every
category scores 100, or the test names each failed audit with its score and the page. `make lighthouse` installs
it and runs this; `.ci/run` runs it once, on its own after the suite. How runs are judged, and why performance
gets up to five: tests/browser/lighthouse_scores.py."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser.lighthouse_scores import (
    CATEGORIES,
    RECORDING_ATTEMPTS,
    judge,
    performance_settled,
    recording_error,
    summary,
)
from tests.conftest import CHROMIUM
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

LIGHTHOUSE = Path(__file__).resolve().parents[2] / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PERFORMANCE_RUNS = 5

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Opt-in: a minute or two of busy CPU, which `make test` leaves to `make lighthouse` (and .ci/run).
    pytest.mark.skipif(not os.environ.get("RUN_LIGHTHOUSE"), reason="run `make lighthouse`"),
]


def _lighthouse(url, output, recording_errors):
    """One run's report. A run whose recording went wrong is run again (lighthouse_scores.RECORDING_ERRORS); its
    error code is appended to recording_errors, which the page's runs file keeps."""
    for attempt in range(1, RECORDING_ATTEMPTS + 1):
        output.unlink(missing_ok=True)
        finished = _lighthouse_once(url, output)
        saved = json.loads(output.read_text()) if finished.returncode and output.exists() else None
        code = recording_error(finished.stderr, saved)
        if finished.returncode and code and attempt < RECORDING_ATTEMPTS:
            recording_errors.append(code)
            continue
        if finished.returncode:
            pytest.fail(f"Lighthouse exited {finished.returncode} on {url}:\n{finished.stderr[-4000:]}")
        return json.loads(output.read_text())


def _lighthouse_once(url, output):
    return subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            # Only the HTML report's element pictures use it, no audit does: a second or two less a run.
            "--disable-full-page-screenshot",
            "--chrome-flags=--headless=new --no-sandbox --disable-background-networking",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=240,
    )


@pytest.fixture
def store(db):
    category = CategoryFactory(name="노트북", slug="laptops")
    products = [ProductFactory(name=f"한울 노트북 {n}", category=category, price=990_000 + n) for n in range(4)]
    for product in products:
        ProductImageFactory(product=product)
    return category, products[0]


@pytest.mark.parametrize("page", ["home", "category", "product", "search"])
def test_lighthouse_scores_every_category_100_at_phone_size(live_server, store, page):
    if not LIGHTHOUSE.exists():
        pytest.fail(f"RUN_LIGHTHOUSE is set but {LIGHTHOUSE} is missing: `make lighthouse` installs it")
    category, product = store
    path = {"home": "/", "category": category.get_absolute_url(), "product": product.get_absolute_url(),
            "search": "/search/?q=노트북"}[page]  # fmt: skip
    reports = Path(os.environ.get("SCREENSHOT_DIR", "reports/screenshots")).parent / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    for old in reports.glob(f"{page}-*.json"):
        old.unlink()
    runs, recording_errors = [], []
    while len(runs) < PERFORMANCE_RUNS and not (runs and performance_settled(runs[-1])):
        runs.append(_lighthouse(live_server.url + path, reports / f"{page}-{len(runs) + 1}.json", recording_errors))
    kept = {"runs": [summary(report) for report in runs], "recording_errors_run_again": recording_errors}
    (reports / f"{page}-runs.json").write_text(json.dumps(kept, indent=1) + "\n")
    failures = judge(page, runs)
    assert not failures, "\n".join(failures)
