"""The Lighthouse test's verdicts, on hand-made reports (no browser): what fails, and how it is named."""

from tests.browser.lighthouse_scores import failed_audits, judge, performance_settled, recording_error


def _report(performance=1.0, accessibility=1.0, tbt_score=1.0, contrast_score=1, benchmark=1200):
    return {
        "environment": {"benchmarkIndex": benchmark},
        "categories": {
            "performance": {"score": performance, "auditRefs": [
                {"id": "total-blocking-time", "weight": 30}, {"id": "diagnostics", "weight": 0}]},
            "accessibility": {"score": accessibility, "auditRefs": [
                {"id": "color-contrast", "weight": 7}, {"id": "video-caption", "weight": 10}]},
            "best-practices": {"score": 1, "auditRefs": []},
            "seo": {"score": 1, "auditRefs": []},
        },
        "audits": {
            "total-blocking-time": {"score": tbt_score, "scoreDisplayMode": "numeric", "displayValue": "180 ms"},
            "diagnostics": {"score": None, "scoreDisplayMode": "informative"},
            "color-contrast": {"score": contrast_score, "scoreDisplayMode": "binary"},
            "video-caption": {"score": None, "scoreDisplayMode": "notApplicable"},
        },
    }  # fmt: skip


def test_a_page_at_100_everywhere_has_no_failures():
    assert judge("home", [_report()]) == []


def test_a_failed_audit_is_named_with_its_category_score_and_page():
    report = _report(accessibility=0.93, contrast_score=0)

    assert judge("product", [report]) == ["product: accessibility 93: color-contrast score 0"]


def test_performance_passes_when_its_best_run_scores_100():
    slow = _report(performance=0.97, tbt_score=0.9, benchmark=600)

    assert judge("search", [slow, _report()]) == []


def test_performance_that_never_reaches_100_names_the_audit_and_every_runs_benchmark():
    runs = [_report(performance=0.97, tbt_score=0.9, benchmark=b) for b in (600, 1200, 800)]

    assert judge("category", runs) == [
        "category: performance 97: total-blocking-time score 0.9 (180 ms) [best of 3 runs; benchmarkIndex 600, 1200, 800]"
    ]


def test_an_accessibility_failure_in_any_run_fails_even_if_another_run_passes():
    assert judge("home", [_report(accessibility=0.9, contrast_score=0), _report()]) == [
        "home: accessibility 90: color-contrast score 0"
    ]


def test_a_category_below_100_without_a_failed_audit_still_fails():
    assert failed_audits(_report(accessibility=0.99), ["accessibility"]) == ["accessibility 99"]


def test_a_missing_score_fails():
    assert failed_audits(_report(performance=None, tbt_score=None), ["performance"]) == [
        "performance no score: total-blocking-time score None (180 ms)"
    ]


def test_another_run_is_made_only_for_a_performance_score_below_100():
    assert performance_settled(_report())
    assert not performance_settled(_report(performance=0.98, tbt_score=0.92))
    assert performance_settled(_report(performance=0.98, accessibility=0.9, contrast_score=0))


NO_NAVSTART_STDERR = (
    "Runtime error encountered: Something went wrong with recording the trace over your page load. "
    "Please run Lighthouse again. (NO_NAVSTART)\nLighthouseError: NO_NAVSTART\n    at ..."
)


def test_a_bad_trace_recording_is_a_recording_error_to_run_again():
    assert recording_error(NO_NAVSTART_STDERR) == "NO_NAVSTART"


def test_an_error_about_the_page_itself_is_not_run_again():
    no_paint = (
        "Runtime error encountered: The page did not paint any content. Please ensure you keep the browser "
        "window in the foreground during the load and try again. (NO_FCP)"
    )
    assert recording_error(no_paint) is None
    assert recording_error("Runtime error encountered: Chrome prevented page load with an interstitial.") is None


def test_a_clean_run_has_no_recording_error():
    assert recording_error("") is None


def test_a_protocol_timeout_is_known_by_its_stack_or_its_report():
    """Its friendly message names no code: the thrown error's stack does, and so does a saved report."""
    stderr = "Runtime error encountered: Waiting for DevTools protocol response has exceeded the allotted time.\n"
    assert recording_error(stderr + "LighthouseError: PROTOCOL_TIMEOUT\n    at ...") == "PROTOCOL_TIMEOUT"
    assert recording_error(stderr, {"runtimeError": {"code": "PROTOCOL_TIMEOUT"}}) == "PROTOCOL_TIMEOUT"
    assert recording_error("", {"runtimeError": {"code": "NO_FCP"}}) is None
