"""In a real browser: the workbook in JupyterLab, and a generated index.html with a hostile article.

Headless Debian Chromium driven by Playwright (Playwright's own browser download is not used). The
JupyterLab server listens on 127.0.0.1 only, on a free port, with a token set here; every process
is stopped by the test; every wait is bounded.

Without Chromium at ``/usr/bin/chromium`` (or ``TITFORTAT_CHROMIUM``) these tests are skipped with a
reason that says so, except under CI (``CI=true``), where they are mandatory and fail instead.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import yaml

from titfortat.paths import repo_root

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("TITFORTAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MANDATORY = os.environ.get("CI", "").lower() == "true"


def _browser_missing() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (install Debian's chromium package, or set TITFORTAT_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (it is in requirements.lock: run make venv)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = _browser_missing()
    if missing:
        if MANDATORY:
            pytest.fail(f"browser tests are mandatory under CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[tuple[str, str, Path]]:
    """JupyterLab on 127.0.0.1 serving a copy of the checkout's notebooks (outputs go to the copy)."""
    missing = _browser_missing()
    if missing:  # no server without a browser to drive it
        if MANDATORY:
            pytest.fail(f"browser tests are mandatory under CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    root = tmp_path_factory.mktemp("lab")
    work = root / "workbook"
    work.mkdir()
    shutil.copytree(repo_root() / "notebooks", work / "notebooks")
    (work / "data").symlink_to(repo_root() / "data")  # read only by the notebooks
    home = root / "home"
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (JupyterLab 4 otherwise renders only the cells in view), so the test sees them all.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    token = secrets.token_hex(16)
    port = _free_port()
    env = {**os.environ, "TITFORTAT_ROOT": str(work), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "HOME": str(home), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
           "--ServerApp.open_browser=False", "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=False",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
           "--ServerApp.terminals_enabled=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    log = open(root / "lab.log", "wb")
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("JupyterLab did not start:\n" + (root / "lab.log").read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield url, token, work
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_notebook_runs_all_cells_in_jupyterlab(browser, lab):
    url, token, work = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(f"{url}/lab/tree/notebooks/02_frequencies.ipynb?token={token}", timeout=90_000)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        # the kernel is up (status bar: "Python 3 (ipykernel) | Idle") before anything is run
        page.wait_for_function("() => /\\|\\s*Idle/.test(document.body.innerText)", timeout=120_000)
        # Edit > Clear Outputs of All Cells (the committed outputs go), then Run > Run All Cells from the menu
        # bar (cells queue until the kernel is ready).
        page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
        page.locator(".lm-Menu-item", has_text="Clear Outputs of All Cells").first.click()
        page.wait_for_function("() => document.querySelectorAll('.jp-RenderedImage img').length === 0 && "
                               "[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
                               ".every(p => !/\\[\\d+\\]/.test(p.innerText))", timeout=30_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        n_code = sum(c.cell_type == "code" for c in nbformat.read(work / "notebooks" / "02_frequencies.ipynb", 4).cells)
        page.wait_for_function(f"() => document.querySelectorAll('.jp-CodeCell').length === {n_code}", timeout=30_000)
        # done when every code cell shows an execution count (none pending, none blank)
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.innerText);
                return prompts.length > 0 && prompts.every(t => /\\[\\d+\\]/.test(t));
            }""", timeout=240_000)
        # the last cell writes the results file: its appearance is the definitive sign the run finished
        results = work / "reports" / "default" / "02_frequencies.json"
        deadline = time.monotonic() + 60
        while not results.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        texts = [errors.nth(i).inner_text() for i in range(errors.count())]
        assert not [t for t in texts if "Error" in t or "Traceback" in t], texts
        images = page.locator(".jp-RenderedImage img")
        page.wait_for_function("() => [...document.querySelectorAll('.jp-RenderedImage img')]"
                               ".filter(i => i.complete && i.naturalWidth > 100).length >= 2", timeout=30_000)
        assert images.count() >= 2
        assert "busiest year" in page.locator(".jp-Notebook").inner_text()
        assert not dialogs, dialogs
    finally:
        page.close()
    # the notebook wrote its outputs into the served copy, not into the checkout
    assert (work / "reports" / "default" / "02_frequencies.json").is_file()


HOSTILE_ARTICLE = """---
title: "<img src=x onerror=\\"window.__pwned='title';alert(1)\\">Hostile brief"
outlet: "<script>window.__pwned='outlet';alert(2)</script>"
published: 2023-08-06
url: "javascript:window.__pwned='url';alert(3)"
---

North Korea fired two ballistic missiles on Thursday, the South Korean military said.
The United States and South Korea will begin the Ulchi Freedom Shield exercise later this month.
"""


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    missing = _browser_missing()
    if missing:
        if MANDATORY:
            pytest.fail(f"browser tests are mandatory under CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from titfortat.report.runner import main

    import csv

    tmp = tmp_path_factory.mktemp("hostile")
    article = tmp / "hostile.md"
    article.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    # The events too: hostile detail and description on every exercise and on the first launches (the
    # detail shows in the exercise and chain tables of index.html).
    with open(repo_root() / "data" / "events.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        if row["action"] == "joint_exercise" or i < 40:
            row["detail"] = f"<img src=x onerror=\"window.__pwned='detail'\">{row['detail']}"
            row["description"] = "<script>window.__pwned='description'</script>" + row["description"]
    events = tmp / "events.csv"
    with open(events, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = tmp / "report"
    params = tmp / "params.yaml"
    params.write_text(yaml.safe_dump({"article_path": str(article), "events_path": str(events), "output_dir": str(out),
                                      "n_permutations": 200}))
    assert main(["--params", str(params)]) == 0
    return out


def test_index_html_renders_and_nothing_from_the_article_or_events_executes(browser, hostile_report):
    summary = (hostile_report / "summary.md").read_text()
    assert "<img" not in summary and "<script" not in summary and "javascript:" not in summary
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto((hostile_report / "index.html").as_uri(), timeout=60_000, wait_until="load")
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned === undefined")
        assert not dialogs, dialogs
        injected = page.evaluate("""() => ({
            onerror: document.querySelectorAll('[onerror], [onload], [onclick]').length,
            scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
            jslinks: [...document.querySelectorAll('a[href]')].filter(a => a.href.trim().toLowerCase().startsWith('javascript')).length,
            badimg: [...document.querySelectorAll('img')].filter(i => !(i.getAttribute('src') || '').startsWith('data:image/')).length,
        })""")
        assert injected == {"onerror": 0, "scripts": 0, "jslinks": 0, "badimg": 0}, injected
        text = page.locator("body").inner_text()
        assert "Hostile brief" in text and "The article." in text and "Counts and pace." in text
        assert "<img src=x" in text  # the title is shown as text
        assert "onerror=\"window.__pwned='detail'\"" in text  # an exercise's detail too, as text
        page.wait_for_function("() => [...document.querySelectorAll('img')].filter(i => i.complete && "
                               "i.naturalWidth > 100).length >= 8", timeout=30_000)
        assert not [u for u in requests if u.rstrip("/").endswith("/x") or "__pwned" in u], requests  # <img src=x>
    finally:
        page.close()
