"""JupyterLab in a real browser, as a trainee uses it.

One JupyterLab server per module (free loopback port, a token, its own SSUP_HOME and Jupyter
settings in a temporary folder) and one headless Chromium (Debian's ``chromium``, driven by
Playwright). The tests open notebooks, run every cell from the menu, type into the widgets,
press their buttons and read what the page shows; the trainee's database file is read directly
to prove the browser's click reached it. Screenshots land in ``artifacts/browser/`` (git-ignored).

Run them alone with ``pytest -m browser`` (or ``pytest tests/test_browser.py``). They skip, with a
reason naming what is missing, when Playwright or Chromium is not installed: ``.ci/run`` installs
Chromium with ``apt-get install -y chromium``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = os.environ.get("SSUP_CHROMIUM", "/usr/bin/chromium")
#: What works on this machine (see the environment notes): no network beyond loopback.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
LEVEL1_EXERCISE = "exercises/01_level1_customer_information_and_data.ipynb"
LEVEL4_LESSON = "notebooks/04_level4_solutions_simulation_and_estimates.ipynb"
START_TIMEOUT = 90.0
#: A figure as the page shows it: PNG or SVG from an Output widget, or SVG/PNG in an HTML or Image widget.
FIGURE = ".jp-RenderedImage, .jp-RenderedSVG, .widget-html-content svg, .widget-html-content img, img.widget-image"
RUN_ALL_TIMEOUT_MS = 240_000

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return (f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium; .ci/run installs it, "
                "or set SSUP_CHROMIUM to a Chromium binary)")
    return None


if _missing():
    # a warning as well as the skip, so `make test` (which prints no skip reasons) says it in its summary
    warnings.warn(f"browser tests skipped: {_missing()}", UserWarning, stacklevel=1)
    pytest.skip(f"browser tests skipped: {_missing()}", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


# -- the JupyterLab server ----------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Nobody listens on the port and a new server could bind it (closed connections may linger in
    TIME_WAIT for a minute; a server binds past those with SO_REUSEADDR, as Jupyter's does)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def children_of(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (the kernels a Jupyter server started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Lab:
    """A JupyterLab server of our own: started, used, and shut down without leftovers."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.home = workdir / "ssup_home"
        self.log_path = workdir / "jupyterlab.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.kernel_pids: set[int] = set()
        config = workdir / "jupyter_config"
        settings = workdir / "lab_settings"
        (config / "labconfig").mkdir(parents=True)
        # no "would you like news?" pop-up over the page
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        tracker = settings / "@jupyterlab" / "notebook-extension"
        tracker.mkdir(parents=True)
        # every cell in the page, not only those scrolled into view
        (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_", "SSUP_RESULTS"))}
        self.env.update({
            "SSUP_HOME": str(self.home),
            "JUPYTER_CONFIG_DIR": str(config),
            "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
            "IPYTHONDIR": str(workdir / "ipython"),
        })
        self.env.pop("MPLBACKEND", None)  # kernels use the inline backend

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Lab":
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={ROOT}",
                   "--ServerApp.terminals_enabled=False", "--LabApp.news_url=",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                   "--LabApp.extension_manager=readonly"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI and these machines run as root
            command.append("--allow-root")
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}: {self.log_tail()}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                if self.api("GET", "/api/status").get("started"):
                    return self
            time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer within {START_TIMEOUT:g} s: {self.log_tail()}")

    def api(self, method: str, path: str) -> dict[str, Any]:
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else {}

    def wait_for_kernel(self, timeout: float = 120.0) -> None:
        """Until the newest kernel has a browser connected and is idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            kernels = self.api("GET", "/api/kernels")
            if kernels:
                newest = max(kernels, key=lambda k: k.get("last_activity", ""))
                if newest.get("connections", 0) >= 1 and newest.get("execution_state") == "idle":
                    return
            time.sleep(0.25)
        raise AssertionError(f"no kernel became ready within {timeout:g} s: {self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def remember_kernels(self) -> None:
        if self.process is not None:
            self.kernel_pids.update(children_of(self.process.pid))

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then make sure: process group, kernels."""
        if self.process is None:
            return
        self.remember_kernels()
        with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
            self.api("POST", "/api/shutdown")
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything left in the server's group
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(alive(pid) for pid in self.kernel_pids):
            time.sleep(0.2)
        stray = [pid for pid in self.kernel_pids if alive(pid)]
        for pid in stray:  # a kernel that outlived its server: end it, and fail below
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert not stray, f"kernels {stray} outlived the JupyterLab server"

    def database(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.home / 'ssup.sqlite'}?mode=ro", uri=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    server = Lab(tmp_path_factory.mktemp("jupyterlab")).start()
    try:
        yield server
    finally:
        server.stop()
        assert server.process is not None and server.process.returncode is not None, "the server is still running"
        deadline = time.monotonic() + 10
        while not port_is_free(server.port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_is_free(server.port), f"port {server.port} is still in use after the server stopped"


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # launch() gives every run a fresh, empty profile (user data dir) of its own
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Browser, lab: Lab) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        yield page
    finally:
        lab.remember_kernels()
        context.close()


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


# -- driving JupyterLab -------------------------------------------------------------------------
def open_notebook(page: Page, lab: Lab, path: str) -> None:
    page.goto(f"{lab.url}/lab/tree/{path}?token={lab.token}&reset")
    page.locator(".jp-NotebookPanel").first.wait_for(state="visible")
    # the kernel has started, the page is connected to it, and it is idle
    page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=120_000)
    lab.wait_for_kernel()
    lab.remember_kernels()


def menu(page: Page, top: str, command: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


def run_all(page: Page, lab: Lab) -> None:
    """Run > Run All Cells, then wait until every code cell has an execution count."""
    menu(page, "Run", "runmenu:run-all")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=RUN_ALL_TIMEOUT_MS, polling=500)
    lab.remember_kernels()


def errors_shown(page: Page) -> list[str]:
    """Text written to stderr and errors shown in the open notebook."""
    outputs = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="
                           "'application/vnd.jupyter.stderr'], .jp-NotebookPanel:not(.lm-mod-hidden) "
                           ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    return outputs.all_inner_texts()


def code_cell(page: Page, text: str):
    """The code cell whose source contains ``text``."""
    return page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea-editor", has_text=text)).first


def run_cell(page: Page, cell) -> None:
    """Select a cell (click its prompt) and run it with Ctrl+Enter, staying on it."""
    before = cell.locator(".jp-InputPrompt").inner_text()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        """([node, before]) => {
            const text = node.querySelector('.jp-InputPrompt').textContent;
            return /\\[\\d+\\]/.test(text) && text !== before;
        }""", arg=[cell.element_handle(), before], timeout=60_000, polling=200)


def dropdown(page: Page, label: str):
    return page.locator(".widget-dropdown").filter(has=page.locator("label", has_text=label)).locator("select")


# -- the tests ------------------------------------------------------------------------------------
FORM = {"customer_id": "CUS-0042", "channel": "phone", "category": "battery", "product_id": "SNS-LVL-100",
        "question": "How long will the battery last in the L1 tank level sensor if it reports every 5 minutes?"}


def test_level1_form_saves_to_the_trainees_database_and_the_check_sees_it(page: Page, lab: Lab):
    open_notebook(page, lab, LEVEL1_EXERCISE)
    run_all(page, lab)
    shot(page, "level1-01-ran-all-cells")
    assert errors_shown(page) == [], "a cell wrote to stderr or failed"
    check_cell = code_cell(page, "ex.q10.check()")
    expect(check_cell.locator(".jp-OutputArea-output")).to_contain_text("Not attempted yet")

    customer = page.locator("input[placeholder='e.g. CUST-0001']")
    customer.scroll_into_view_if_needed()
    customer.fill(FORM["customer_id"])
    with lab.database() as connection:
        name = connection.execute("SELECT name FROM customers WHERE customer_id = ?", (FORM["customer_id"],)).fetchone()[0]
    expect(page.locator(".widget-html", has_text=name).first).to_be_visible()  # looked up as it was typed
    dropdown(page, "Channel").select_option(FORM["channel"])
    dropdown(page, "Category").select_option(FORM["category"])
    products = dropdown(page, "Product")
    labels = [text.replace("\xa0", " ") for text in products.locator("option").all_text_contents()]  # widgets use nbsp
    products.select_option(index=next(i for i, text in enumerate(labels) if text.startswith(FORM["product_id"] + " |")))
    page.locator("textarea[placeholder=\"The customer's question, in their words\"]").fill(FORM["question"])
    shot(page, "level1-02-form-filled")
    page.locator("button", has_text="Save inquiry").click()
    saved = page.locator(".widget-html", has_text="Saved inquiry").first
    expect(saved).to_be_visible()
    shot(page, "level1-03-saved")

    with lab.database() as connection:
        rows = connection.execute("SELECT customer_id, channel, category, product_id, question FROM inquiries").fetchall()
    assert rows == [(FORM["customer_id"], FORM["channel"], FORM["category"], FORM["product_id"], FORM["question"])]
    inquiry_id = re.search(r"Saved inquiry (\d+)", saved.inner_text()).group(1)

    run_cell(page, check_cell)
    output = check_cell.locator(".jp-OutputArea-output")
    expect(output).to_contain_text("Correct")
    expect(output).to_contain_text(f"Inquiry {inquiry_id} is logged")
    shot(page, "level1-04-check-correct")


def test_level4_simulation_slider_redraws_the_plot(page: Page, lab: Lab):
    if not (ROOT / LEVEL4_LESSON).exists():
        pytest.skip(f"{LEVEL4_LESSON} does not exist yet (Level 4 is being written)")
    open_notebook(page, lab, LEVEL4_LESSON)
    run_all(page, lab)
    assert errors_shown(page) == [], "a cell wrote to stderr or failed"
    slider = page.locator(".widget-slider").first
    expect(slider).to_be_visible()
    slider.scroll_into_view_if_needed()
    # the plot that belongs to this slider: the rendered figure (PNG or SVG) in the nearest enclosing box
    panel = slider.evaluate_handle(
        """node => { for (let box = node.parentElement; box; box = box.parentElement)
                       if (box.querySelector(FIGURE)) return box;
                     return null; }""".replace("FIGURE", repr(FIGURE)))
    assert panel.evaluate("panel => panel !== null"), "the slider has no plot next to it"
    assert panel.evaluate("panel => panel.classList.contains('widget-box')"), "the plot is not in the slider's panel"
    image_source = f"panel => panel.querySelector({FIGURE!r}).outerHTML"
    before = panel.evaluate(image_source)
    readout = slider.locator(".widget-readout")
    value_before = readout.inner_text()
    shot(page, "level4-01-before")

    handle = slider.locator(".noUi-handle")
    box = handle.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 90, box["y"] + box["height"] / 2, steps=10)
    page.mouse.up()
    expect(readout).not_to_have_text(value_before)
    page.wait_for_function(
        """([panel, before]) => {
            const figure = panel.querySelector(FIGURE);
            return figure !== null && figure.outerHTML !== before;
        }""".replace("FIGURE", repr(FIGURE)), arg=[panel, before], timeout=60_000, polling=250)
    shot(page, "level4-02-after")
    assert panel.evaluate(image_source) != before
