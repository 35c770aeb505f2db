"""Benchmark of the article coder on a batch of 200 articles (a script, not a test: ``make bench``).

The batch is made of the project's own articles, cycled to 200 files in a temporary folder: the
evaluation reports (``tests/eval_articles``), the samples (``data/articles``) and the saved-page
fixtures (``tests/fixtures/pages``, through trafilatura and htmldate). Three timings, best of 3:

1. loading the 200 files (``load_articles`` on the folder: metadata, HTML main-text extraction);
2. coding them (``code_articles``: dictionary coding, dating, merging, one items table) and linking
   the items to ``data/events.csv``;
3. the baseline: plain sentence splitting of the same texts (``split_sentences``), the least any
   coder must do.

Target: the 200 articles loaded and coded in under 10 s. The ratio says how many times the baseline
the coding costs.
"""

from __future__ import annotations

import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from titfortat.events.schema import load_events  # noqa: E402
from titfortat.text.articles import SUFFIXES, load_articles  # noqa: E402
from titfortat.text.coder import load_dictionaries, split_sentences  # noqa: E402
from titfortat.text.linking import code_articles  # noqa: E402

N = 200
SOURCES = [ROOT / "tests" / "eval_articles", ROOT / "data" / "articles", ROOT / "tests" / "fixtures" / "pages"]


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def make_batch(folder: Path) -> int:
    files = [p for src in SOURCES for p in sorted(src.iterdir())
             if p.suffix.lower() in SUFFIXES and not p.name.lower().startswith("readme")]
    for k in range(N):
        src = files[k % len(files)]
        dst = folder / f"{k:03d}_{src.name}"
        shutil.copyfile(src, dst)
        for side in (src.with_suffix(".yaml"), src.with_name(src.name + ".yaml")):
            if side.is_file():
                shutil.copyfile(side, folder / f"{k:03d}_{side.name}")
    return len(files)


def main() -> None:
    events = load_events(ROOT / "data" / "events.csv")
    dic = load_dictionaries()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        distinct = make_batch(folder)
        t_load, articles = best_of(lambda: load_articles(folder))
        assert len(articles) == N
        t_code, items = best_of(lambda: code_articles(articles, events, dictionaries=dic))
        t_base, n_sent = best_of(lambda: sum(len(split_sentences(a.text)) for a in articles))
    words = sum(len(a.text.split()) for a in articles)
    print(f"Python {platform.python_version()} on {platform.machine()}; {N} articles ({distinct} distinct), "
          f"{words:,} words, {n_sent:,} sentences, {len(items):,} coded actions")
    print(f"{'step':<44}{'seconds':>10}{'per article':>14}")
    print(f"{'load (trafilatura + htmldate for HTML)':<44}{t_load:>10.3f}{t_load / N * 1000:>11.1f} ms")
    print(f"{'code + link to data/events.csv':<44}{t_code:>10.3f}{t_code / N * 1000:>11.1f} ms")
    print(f"{'baseline: split_sentences only':<44}{t_base:>10.3f}{t_base / N * 1000:>11.1f} ms")
    total = t_load + t_code
    print(f"load + code: {total:.2f} s for {N} articles (target < 10 s: {'met' if total < 10 else 'NOT met'}); "
          f"coding costs {t_code / t_base:.0f}x plain sentence splitting")


if __name__ == "__main__":
    main()
