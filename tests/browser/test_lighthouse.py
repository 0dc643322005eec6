"""Lighthouse (npm's, tools/lighthouse) at phone size on the home, category, product and search pages: every
category scores 100, or the test names the audits that failed. `make lighthouse` installs it and runs this."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

LIGHTHOUSE = Path(__file__).resolve().parents[2] / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Opt-in: it takes minutes, and the performance score moves with the machine's load.
    pytest.mark.skipif(not (LIGHTHOUSE.exists() and os.environ.get("RUN_LIGHTHOUSE")), reason="run `make lighthouse`"),
]


def _failed_audits(report):
    """'category: audit-id (title)' for every scored audit below 1 in a category below 100."""
    failed = []
    for key in CATEGORIES:
        category = report["categories"][key]
        if category["score"] == 1:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.append(f"{key} {round(category['score'] * 100)}: {ref['id']} ({audit['title']})")
    return failed


@pytest.fixture
def store(db):
    category = CategoryFactory(name="노트북", slug="laptops")
    products = [ProductFactory(name=f"한울 노트북 {n}", category=category, price=990_000 + n) for n in range(4)]
    for product in products:
        ProductImageFactory(product=product)
    return category, products[0]


@pytest.mark.parametrize("page", ["home", "category", "product", "search"])
def test_lighthouse_scores_every_category_100_at_phone_size(live_server, store, tmp_path, page):
    category, product = store
    path = {"home": "/", "category": category.get_absolute_url(), "product": product.get_absolute_url(),
            "search": "/search/?q=노트북"}[page]  # fmt: skip
    output = tmp_path / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            live_server.url + path,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-background-networking",
        ],  # fmt: skip
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=240,
    )
    report = json.loads(output.read_text())
    reports = Path(os.environ.get("SCREENSHOT_DIR", "reports/screenshots")).parent / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / f"{page}.json").write_text(output.read_text())
    assert _failed_audits(report) == []
