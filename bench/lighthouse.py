"""How much Lighthouse's mobile performance result moves with machine load: N rounds over the given pages.

Runs tools/lighthouse (`make lighthouse` installs it) on each URL, round after round, with the settings of
tests/browser/test_lighthouse.py, plus a baseline measured in the same rounds: a page of one heading and one
paragraph, no CSS, no script, served by this script, which shows what Chromium's own work scores on this machine
at this load (its best practices and SEO are not of interest: it has no favicon or robots.txt). Prints, per page: performance scores, Total Blocking Time min/median/max, the share of runs at 100,
benchmarkIndex and the load average, and the median TBT as a ratio to the baseline's.

    .venv/bin/python bench/lighthouse.py --rounds 5 http://127.0.0.1:8000/ http://127.0.0.1:8000/products/x/
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.lighthouse_scores import CATEGORIES, summary  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
BASELINE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>기준 페이지</title>
<meta name="description" content="Baseline"></head><body><main><h1>한울 마켓</h1><p>기준 페이지입니다.</p></main></body></html>"""


def lighthouse(url, output):
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
         f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile", "--disable-full-page-screenshot",
         "--chrome-flags=--headless=new --no-sandbox --disable-background-networking"],
        check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, timeout=240,
    )  # fmt: skip
    return {"load": os.getloadavg()[0], **summary(json.loads(Path(output).read_text()))}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve_baseline(folder):
    """The baseline page on a port of its own; only its performance (Chromium's own work) is of interest."""
    Path(folder, "index.html").write_text(BASELINE)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/"


def report(name, runs, baseline_tbt):
    tbt = [run["total-blocking-time"] for run in runs]
    at_100 = sum(run["scores"]["performance"] == 100 for run in runs)
    other = {key for run in runs for key, score in run["scores"].items() if key != "performance" and score != 100}
    ratio = statistics.median(tbt) / baseline_tbt if baseline_tbt else float("nan")
    print(f"{name}\n  performance {[run['scores']['performance'] for run in runs]}, at 100 in {at_100}/{len(runs)}")
    print(f"  TBT ms min {min(tbt)} median {statistics.median(tbt)} max {max(tbt)}; x{ratio:.1f} the baseline's median")
    print(f"  benchmarkIndex {[run['benchmarkIndex'] for run in runs]}; load {[round(run['load'], 1) for run in runs]}")
    print(f"  other categories below 100: {sorted(other) or 'none'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pages = {"baseline (empty page)": serve_baseline(folder), **{url: url for url in args.urls}}
        runs = {name: [] for name in pages}
        for round_number in range(args.rounds):
            for name, url in pages.items():
                runs[name].append(lighthouse(url, Path(folder, "report.json")))
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr)
    baseline_tbt = statistics.median(run["total-blocking-time"] for run in runs["baseline (empty page)"])
    for name, page_runs in runs.items():
        report(name, page_runs, baseline_tbt)


if __name__ == "__main__":
    main()
