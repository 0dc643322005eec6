"""How tests/browser/test_lighthouse.py judges Lighthouse's JSON reports, and names what failed.

Lighthouse's default mobile settings simulate a Moto G Power class phone on slow 4G (Lantern) from one real
load, with the main thread's measured time multiplied by 4. Load from other processes stretches that measured
time, and the multiplier stretches it four times more, so the performance score moves with the machine's load.
Load only ever adds time, so performance is judged on the best of a page's runs (Lighthouse CI's default
"optimistic" aggregation): a page that is really too heavy fails every run. Accessibility, best practices and SEO
do not depend on timing and must be 100 in every run.
"""

import re

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TIMING_FREE = ("accessibility", "best-practices", "seo")

# Lighthouse's runtime errors (core/lib/lh-error.js) that say its own recording went wrong, not the page: "Something
# went wrong with recording the trace over your page load. Please run Lighthouse again", no screenshots collected,
# or Chrome's protocol timing out. A loaded machine makes them (CI once lost NO_NAVSTART on the search page; on
# 2 December a fresh-clone CI lost the category page to three NO_NAVSTART in a row, which passed at once when run
# again), so a run that ends in one is run again, up to RECORDING_ATTEMPTS times (a retry costs one run, ~15 s).
# Errors about the page itself (NO_FCP, NO_LCP, the document failing to load, PAGE_HUNG, NOT_HTML) are not in the
# list and fail at once.
RECORDING_ERRORS = frozenset({
    "NO_TRACING_STARTED", "NO_RESOURCE_REQUEST", "NO_NAVSTART", "NO_DCL", "NO_FMP", "TRACING_ALREADY_STARTED",
    "NO_SPEEDLINE_FRAMES", "SPEEDINDEX_OF_ZERO", "NO_SCREENSHOTS", "INVALID_SPEEDLINE",
    "PARSING_PROBLEM", "READ_FAILED", "PROTOCOL_TIMEOUT", "CRI_TIMEOUT",
})  # fmt: skip
RECORDING_ATTEMPTS = 5
# Where a failed run says which error it was: the report's runtimeError (saved before the CLI exits 1), the
# friendly message's "(CODE)", or the thrown error's stack ("LighthouseError: PROTOCOL_TIMEOUT", whose friendly
# message names no code).
_CODE_IN_MESSAGE = re.compile(r"Runtime error encountered:.*\(([A-Z_]+)\)")
_CODE_IN_STACK = re.compile(r"LighthouseError: ([A-Z_]+)")


def recording_error(stderr, report=None):
    """The code of a Lighthouse recording error (``report``: the run's JSON, if it saved one; else its stderr),
    or None: no error, or one about the page."""
    code = ((report or {}).get("runtimeError") or {}).get("code")
    if not code:
        match = _CODE_IN_MESSAGE.search(stderr) or _CODE_IN_STACK.search(stderr)
        code = match[1] if match else None
    return code if code in RECORDING_ERRORS else None


def percent(score):
    return "no score" if score is None else round(score * 100)


def failed_audits(report, categories=CATEGORIES):
    """'category NN: audit-id score S (value)' for each weighted audit below 1 in each category below 100."""
    failed = []
    for key in categories:
        category = report["categories"][key]
        if category["score"] == 1:
            continue
        below = []
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["scoreDisplayMode"] != "notApplicable" and (audit["score"] or 0) < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                below.append(f"{key} {percent(category['score'])}: {ref['id']} score {audit['score']}{shown}")
        failed += below or [f"{key} {percent(category['score'])}"]
    return failed


def performance_settled(report):
    """No need for another run: performance is 100, or a timing-free category already failed."""
    return report["categories"]["performance"]["score"] == 1 or bool(failed_audits(report, TIMING_FREE))


def judge(page, runs):
    """Every failure of a page's runs, each starting with the page: performance on the best run, the rest on all."""
    failures = dict.fromkeys(failure for report in runs for failure in failed_audits(report, TIMING_FREE))
    best = max(runs, key=lambda report: report["categories"]["performance"]["score"] or 0)
    indexes = ", ".join(str(round(report["environment"]["benchmarkIndex"])) for report in runs)
    for failure in failed_audits(best, ["performance"]):
        failures[f"{failure} [best of {len(runs)} runs; benchmarkIndex {indexes}]"] = None
    return [f"{page}: {failure}" for failure in failures]


def summary(report):
    """The figures of one run worth keeping side by side: scores, the metrics and the machine's benchmark."""
    audits = report["audits"]
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index")
    return {
        "scores": {key: percent(report["categories"][key]["score"]) for key in CATEGORIES},
        "benchmarkIndex": round(report["environment"]["benchmarkIndex"]),
        **{metric: round(audits[metric]["numericValue"]) for metric in metrics},
        "cumulative-layout-shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }
