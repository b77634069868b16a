"""Browser tests: the real server, on its own fresh database, driven through Debian's Chromium.

The session prepares a database the way a fresh `make run` does (`kieumau manage migrate`,
`kieumau load-tree`, `kieumau demo` with KIEUMAU_DEBUG=1) and starts `kieumau serve` on a free
port. On the PostgreSQL pass (KIEUMAU_DATABASE_URL is a postgres:// URL) that database is
`<database>_e2e` on the same server, dropped and created anew; otherwise a SQLite file in a temporary
folder. Playwright's sync API drives /usr/bin/chromium (never `playwright install`).

Fixtures for tests in this folder:
- `server_url`            "http://127.0.0.1:PORT", shared by the whole session: a test may add
                          data, but must not count on data another test leaves behind.
- `page_as(username, *, viewport=None, javascript=True)`  a new page signed in as a demo
                          account (password `kieumau-demo`), in its own browser context (own
                          cookies); `javascript=False` tries the page as a browser without script
                          (axe-core cannot run there: such pages go unchecked).
- `anonymous_page`        a page with nobody signed in.
- `kieumau_cli(*args)`    runs the `kieumau` command on the server's database, e.g. to prepare
                          state: `kieumau_cli("manage", "shell", "-c", "...")`.

Accessibility is checked on every page a test visits, with nothing to call: each page made by
`new_page` (and so by `page_as` and `anonymous_page`) runs axe-core (npm devDependency, read from
node_modules/axe-core/axe.min.js, injected as an init script, so the product's CSP stays strict and
the server never serves it) for the WCAG 2.1 A and AA rules (AXE_TAGS) after each document loads
and after each htmx swap. An htmx request waits (in a route) for the pending check of the page it
would change; a navigation does not wait, so a test that moves on at once may leave a page's last
check unfinished (a check that never ended used to hang the next page). When the test ends the
results are collected; any violation fails the test at teardown, naming the page, the rule and the
elements. Phone and desktop sizes are both covered: a test's viewport is the size checked, and
tests/e2e/test_accessibility.py walks the main pages at both. A test that opens pages another way
(a second context of its own) must build them with `new_page` to keep the check.
The test process's own Django (the `db` fixture) is another database: browser tests see only what
the server serves. Browser tests run after all others, since Playwright's sync API keeps an event
loop running, under which Django refuses ORM calls in the same thread.

Under CI a missing Chromium or Playwright fails the tests; elsewhere they are skipped, with the reason.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "kieumau-demo"
BROWSER_TIMEOUT_MS = 30_000  # for actions and assertions: a 2-core CI machine runs server and browser
PHONE = {"width": 375, "height": 740}
HERE = Path(__file__).resolve().parent
AXE_JS = HERE.parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs in every document before the page's own scripts. It tells the test at once that a check is
# due (so the test's next request waits for it), checks the page once it has loaded and again after
# every htmx swap, one run at a time, and hands the violations back through bindings.
AXE_RUNNER = """
(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) return;
  let queue = Promise.resolve();
  let busy = 0;
  const check = (when) => {
    if (busy++ === 0) window.__kieumauAxeStart(location.href);
    queue = queue.then(() => axe.run(document, {
      runOnly: { type: "tag", values: AXE_TAGS }, resultTypes: ["violations"],
    })).then((result) => result.violations.map((v) => ({
      when, url: location.href, id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary),
    })), (error) => [{ when, url: location.href, id: "axe-error", help: String(error), nodes: [] }])
      .then((found) => window.__kieumauAxeDone(found, --busy === 0));
  };
  window.__kieumauAxeStart(location.href);  // due from the start, before `load`
  busy = 1;
  window.addEventListener("load", () => { busy--; check("load"); });
  document.addEventListener("htmx:afterSettle", () => check("after an htmx swap"));
})();
""".replace("AXE_TAGS", json.dumps(AXE_TAGS))
KIEUMAU = Path(sys.executable).with_name("kieumau")


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `browser` and run them last (see the module docstring)."""
    browser, others = [], []
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)
            browser.append(item)
        else:
            others.append(item)
    items[:] = others + browser


def missing(reason: str):
    """Under CI what a browser test needs must be there; elsewhere it may be skipped."""
    if IN_CI:
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(f"{reason} (skipped only outside CI)")


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres_database(url: str, name: str) -> str:
    """Drop and create database `name` on the server of `url`; return its URL."""
    import psycopg

    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict[str, str]:
    """Environment of the server and of `kieumau_cli`: debug on, its own var dir and database."""
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIEUMAU_")}
    env.update(
        DJANGO_SETTINGS_MODULE="kieumau.settings",
        PYTHONUNBUFFERED="1",
        KIEUMAU_DEBUG="1",
        KIEUMAU_VAR_DIR=str(var_dir),
    )
    url = os.environ.get("KIEUMAU_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        # Named after the suite's database, so two checkouts can share one server.
        name = f"{urlsplit(url).path.strip('/') or 'kieumau'}_e2e"
        try:
            env["KIEUMAU_DATABASE_URL"] = fresh_postgres_database(url, name)
        except Exception as error:  # psycopg.OperationalError and kin: name the server and why
            missing(f"cannot create PostgreSQL database {name}: {error}")
    else:
        env["KIEUMAU_DATABASE_URL"] = f"sqlite:///{var_dir / 'kieumau.sqlite3'}"
    return env


def run_kieumau(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(KIEUMAU), *args], env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        pytest.fail(
            f"`kieumau {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result


@pytest.fixture(scope="session")
def server_url(server_env) -> Iterator[str]:
    """A fresh `make run`: migrate, load the tree, load the demo, serve on a free port."""
    run_kieumau(server_env, "manage", "migrate", "--noinput")
    run_kieumau(server_env, "load-tree")
    run_kieumau(server_env, "demo")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(server_env["KIEUMAU_VAR_DIR"]) / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(KIEUMAU), "serve", "--port", str(port)],
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(f"{url}/accounts/sign-in/", server, log_path)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_serving(url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"`kieumau serve` exited ({server.returncode}):\n{log_path.read_text()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"`kieumau serve` did not answer {url} within 60 s:\n{log_path.read_text()}", pytrace=False
    )


@pytest.fixture(scope="session")
def kieumau_cli(server_env, server_url) -> Callable[..., subprocess.CompletedProcess]:
    """Run `kieumau ARGS…` on the server's database (fails the test if the command fails)."""
    return lambda *args: run_kieumau(server_env, *args)


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        missing("the Python package playwright is not installed (make install-test)")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"{CHROMIUM} not found (apt-get install chromium)")
    # Assertions wait as long as actions (`new_page`): on a 2-core CI machine a click's page load
    # has taken over expect's default 5 s while PostgreSQL wrote a checkpoint.
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


class AxeWatch:
    """Collects the axe-core violations of the pages of one test (see the module docstring).

    A page whose check is due holds back its next XHR or fetch request (an htmx swap) until the
    check is done, so no swap changes a page before it is checked; a navigation is not held."""

    def __init__(self) -> None:
        self.violations: dict[tuple, dict] = {}
        self.checking: set = set()
        self.held: dict = {}

    def watch(self, context, *, javascript: bool = True) -> None:
        if not javascript:
            return  # axe-core is a script: a page tried without script goes unchecked
        def started(source, url):
            self.checking.add(source["page"])

        def done(source, found, idle):
            page = source["page"]
            for item in found:
                self.violations.setdefault((item["url"], item["id"]), item)
            if idle:
                self.checking.discard(page)
                for route in self.held.pop(page, []):
                    route.continue_()

        def before_request(route):
            request = route.request
            page = request.frame.page
            # XHR and fetch wait for the check of the page they would change (htmx swaps); a
            # navigation does not wait, so a check that never ends cannot hang the next page.
            if request.resource_type in ("xhr", "fetch") and page in self.checking:
                self.held.setdefault(page, []).append(route)
            else:
                route.continue_()

        context.expose_binding("__kieumauAxeStart", started)
        context.expose_binding("__kieumauAxeDone", done)
        context.add_init_script(path=str(AXE_JS))
        context.add_init_script(script=AXE_RUNNER)
        context.route("**/*", before_request)

    def finish(self, pages) -> None:
        """Wait (up to 30 s) for the checks still running on the pages the test leaves open."""
        deadline = time.monotonic() + 30
        for page in pages:
            while page in self.checking and not page.is_closed() and time.monotonic() < deadline:
                page.wait_for_timeout(50)
            if page in self.checking and not page.is_closed():
                self.violations[(page.url, "axe-timeout")] = {
                    "url": page.url,
                    "when": "end of test",
                    "id": "axe-timeout",
                    "impact": None,
                    "help": "the accessibility check did not finish within 30 s",
                    "nodes": [],
                }

    def report(self) -> str:
        lines = []
        for item in self.violations.values():
            lines.append(
                f"{item['url']} ({item['when']}): {item['id']} [{item.get('impact')}] "
                f"{item['help']}"
            )
            lines += [f"    {node}" for node in item["nodes"]]
        return "\n".join(lines)


@pytest.fixture
def new_page(chromium, server_url):
    """`new_page(viewport=None)`: a page in a fresh context; the browser asks for Vietnamese, as
    the people who use kieumau do. Every page is checked with axe-core (module docstring); the
    test fails at teardown on any WCAG 2.1 A/AA violation. Contexts are closed after the test."""
    if not AXE_JS.is_file():
        missing(f"{AXE_JS} not found (npm ci installs axe-core from package-lock.json)")
    contexts = []
    axe = AxeWatch()

    def make(*, viewport: dict | None = None, javascript: bool = True):
        context = chromium.new_context(
            base_url=server_url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport=viewport or {"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(BROWSER_TIMEOUT_MS)
        axe.watch(context, javascript=javascript)
        contexts.append(context)
        return context.new_page()

    yield make
    axe.finish([page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()
    if axe.violations:
        pytest.fail(f"WCAG 2.1 A/AA violations found by axe-core:\n{axe.report()}", pytrace=False)


@pytest.fixture
def anonymous_page(new_page):
    return new_page()


@pytest.fixture
def page_as(new_page):
    """`page_as("demo-bo")` → a page signed in as that demo account, showing the home page."""

    def sign_in(username: str, *, viewport: dict | None = None, javascript: bool = True):
        page = new_page(viewport=viewport, javascript=javascript)
        page.goto("/accounts/sign-in/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if "/accounts/sign-in/" in page.url:
            pytest.fail(
                f"could not sign in as {username}: {page.inner_text('main')}", pytrace=False
            )
        return page

    return sign_in


@pytest.fixture
def screenshot_dir() -> Path:
    """Where tests may save screenshots for a person to look at (not kept by CI)."""
    path = Path(os.environ.get("KIEUMAU_E2E_SCREENSHOTS", tempfile.gettempdir())) / "kieumau-e2e"
    path.mkdir(parents=True, exist_ok=True)
    return path
