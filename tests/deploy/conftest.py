"""Tests of the product as it is deployed: real `kieumau` processes on a database prepared like
`make run` (migrate, load-tree, demo), on the database of the pass: on the PostgreSQL pass a fresh
`<database>_deploy` on the same server, otherwise a SQLite file in a temporary folder.

Fixtures:
- `demo_env`      environment (KIEUMAU_*) of that database, debug on, as the CLI needs it;
- `production_env` the same database served like production: debug off, static files collected
                   once into a temporary STATIC_ROOT, gunicorn through `kieumau serve`;
- `kieumau(env, *args)` runs the `kieumau` command (fails the test if it fails);
- `start_server(env)` starts `kieumau serve` on a free port and returns its base URL; every server
                   started is stopped at the end of the test.
"""

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import (
    KIEUMAU,
    free_port,
    fresh_postgres_database,
    missing,
    run_kieumau,
    wait_until_serving,
)


def database_url_for(base_env: dict, var_dir: Path, suffix: str) -> str:
    """A fresh database on the pass's server: `<database>_<suffix>`, or a new SQLite file."""
    url = os.environ.get("KIEUMAU_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        name = f"{urlsplit(url).path.strip('/') or 'kieumau'}_{suffix}"
        try:
            return fresh_postgres_database(url, name)
        except Exception as error:  # psycopg.OperationalError and kin: name the server and why
            missing(f"cannot create PostgreSQL database {name}: {error}")
    return f"sqlite:///{var_dir / f'{suffix}.sqlite3'}"


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory) -> dict[str, str]:
    var_dir = tmp_path_factory.mktemp("deploy-var")
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIEUMAU_")}
    env.update(
        DJANGO_SETTINGS_MODULE="kieumau.settings",
        PYTHONUNBUFFERED="1",
        KIEUMAU_DEBUG="1",
        KIEUMAU_VAR_DIR=str(var_dir),
    )
    env["KIEUMAU_DATABASE_URL"] = database_url_for(env, var_dir, "deploy")
    run_kieumau(env, "manage", "migrate", "--noinput")
    run_kieumau(env, "load-tree")
    run_kieumau(env, "demo")
    return env


@pytest.fixture(scope="session")
def production_env(demo_env, tmp_path_factory) -> dict[str, str]:
    static_root = tmp_path_factory.mktemp("deploy-static")
    env = {
        **demo_env,
        "KIEUMAU_DEBUG": "0",
        "KIEUMAU_SECRET_KEY": "deploy-test-secret-key-not-for-production",
        "KIEUMAU_ALLOWED_HOSTS": "127.0.0.1",
        "KIEUMAU_STATIC_ROOT": str(static_root),
        # Plain HTTP on loopback: no proxy in front of these servers.
        "KIEUMAU_SSL_REDIRECT": "0",
        "KIEUMAU_SECURE_COOKIES": "0",
        "KIEUMAU_HSTS_SECONDS": "0",
        "KIEUMAU_WEB_WORKERS": "2",
    }
    run_kieumau(env, "manage", "collectstatic", "--noinput")
    return env


@pytest.fixture
def kieumau() -> Callable[..., subprocess.CompletedProcess]:
    return run_kieumau


@pytest.fixture
def start_server(tmp_path) -> Iterator[Callable[[dict], str]]:
    servers = []

    def start(env: dict) -> str:
        port = free_port()
        log_path = tmp_path / f"server-{port}.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [str(KIEUMAU), "serve", "--port", str(port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        servers.append(server)
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{url}/healthz", server, log_path)
        return url

    yield start
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def call(method: str, url: str, body: dict | None = None, *, token: str | None = None):
    """(status, JSON body) of one request; error statuses are answers, not exceptions."""
    request = urllib.request.Request(url, method=method)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, data=data, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw or b"null")
        except ValueError:
            return error.code, raw.decode(errors="replace")
