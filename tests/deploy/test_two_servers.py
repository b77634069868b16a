"""Two app servers (gunicorn through `kieumau serve`, debug off) on one database share nothing in
process memory: what one server decides (a sign-in lock-out, a month locked by an approval)
holds on the other. This is how kieumau grows past one machine (README, "Deployment")."""

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request

import pytest

from tests.deploy.conftest import call

LOCK_AFTER = 3


@pytest.fixture
def two_servers(production_env, start_server):
    env = {**production_env, "KIEUMAU_SIGN_IN_MAX_FAILURES": str(LOCK_AFTER)}
    return start_server(env), start_server(env)


def token(server: str, username: str) -> str:
    status, body = call(
        "POST", f"{server}/api/auth/token", {"username": username, "password": "kieumau-demo"}
    )
    assert status == 200, body
    return body["token"]


def test_debug_off_serve_runs_gunicorn_with_collected_static_files(
    production_env, start_server, tmp_path
):
    server = start_server(production_env)
    status, body = call("GET", f"{server}/healthz")
    assert (status, body["database"]) == (200, "ok")
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert "gunicorn on http://127.0.0.1:" in log and "Booting worker" in log
    with urllib.request.urlopen(f"{server}/api/docs", timeout=10) as response:
        page = response.read().decode()
    # Hashed names from the manifest that collectstatic wrote; served by WhiteNoise.
    hashed = re.search(r"/static/ninja/swagger-ui\.[0-9a-f]{12}\.css", page)
    assert hashed, page[:2000]
    with urllib.request.urlopen(f"{server}{hashed[0]}", timeout=10) as response:
        assert response.status == 200 and "max-age=315360000" in response.headers["Cache-Control"]
    with urllib.request.urlopen(f"{server}/static/kieumau/site.css", timeout=10) as response:
        assert response.status == 200 and b"{" in response.read()


def test_a_lock_out_on_one_server_holds_on_the_other(two_servers):
    first, second = two_servers
    for _ in range(LOCK_AFTER):
        status, _body = call(
            "POST", f"{first}/api/auth/token", {"username": "demo-viewer", "password": "wrong"}
        )
        assert status == 401
    status, body = call(
        "POST",
        f"{second}/api/auth/token",
        {"username": "demo-viewer", "password": "kieumau-demo"},
    )
    assert status == 429, body
    assert "token" not in body


def test_a_month_locked_through_one_server_refuses_writes_through_the_other(
    two_servers, production_env, kieumau
):
    first, second = two_servers
    # Hòa Hiếu's 2024 round, which the demo leaves submitted in Nghệ An's review queue.
    found = kieumau(
        production_env,
        "manage",
        "shell",
        "-c",
        "from kieumau.assessments.models import Assessment;"
        "a = Assessment.objects.get(unit__code='16939', period_start__year=2024,"
        " stage='submitted'); print('found', a.pk, a.revision)",
    )
    assessment_id, revision = found.stdout.split("found ")[-1].split()
    change = {
        "values": [{"unit": "16939", "indicator": "toi_pham_ttxh", "month": "2024-06", "value": 77}]
    }
    writer = token(second, "demo-nghean")
    status, body = call("PUT", f"{second}/api/indicators/values", change, token=writer)
    assert status == 200, body  # not locked yet: the second server writes

    status, body = call(
        "POST",
        f"{first}/api/assessments/{assessment_id}/transitions",
        {"action": "approve", "revision": int(revision)},
        token=token(first, "demo-nghean"),
    )
    assert status == 200, body

    change["values"][0]["value"] = 78
    status, body = call("PUT", f"{second}/api/indicators/values", change, token=writer)
    assert status == 422, body
    assert "đã khóa" in json.dumps(body, ensure_ascii=False)


# Writes an import template for Quang Phong (the demo's other submitted ward), June 2024, with toi_pham_ttxh filled in as 79.
TEMPLATE = """
import datetime as dt
from decimal import Decimal
from kieumau.indicators import selectors, xlsx
from kieumau.orgunits import tree
from kieumau.orgunits.models import OrgUnit
month = dt.date(2024, 6, 1)
ward = tree.unit_by_code(units=OrgUnit.objects.all(), code="16993", as_of=dt.date(2024, 6, 30))
indicators = selectors.catalogue()
crimes = next(i for i in indicators if i.code == "toi_pham_ttxh")
content = xlsx.build_template(units=[ward], indicators=indicators, first=month, last=month,
    stored={(ward.pk, crimes.pk, month): (Decimal(79), False)}, title=ward.name)
open(PATH, "wb").write(content)
"""

STATE = """
from kieumau.indicators.models import IndicatorImport, IndicatorValue
record = IndicatorImport.objects.latest("pk")
written = IndicatorValue.objects.filter(
    unit__code="16993", month="2024-06-01", value=79, unit__valid_from__lt="2025-01-01"
).exists()
print("STATE", record.status, written, "|".join(e["message"] for e in record.errors))
"""


def session_on(server: str, username: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A browser-like session signed in on `server`: (opener with cookies, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{server}/accounts/sign-in/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "username": username, "password": "kieumau-demo"}
    ).encode()
    response = opener.open(f"{server}/accounts/sign-in/", data=form, timeout=30)
    assert "/accounts/sign-in/" not in response.url, "sign-in refused"
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return opener, token


def upload(opener, token: str, server: str, path) -> str:
    boundary = "kieumau-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{server}/indicators/import/",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return opener.open(request, timeout=60).url


def test_a_spreadsheet_import_through_one_server_meets_the_lock_taken_through_the_other(
    two_servers, production_env, kieumau, tmp_path
):
    first, second = two_servers
    found = kieumau(
        production_env,
        "manage",
        "shell",
        "-c",
        "from kieumau.assessments.models import Assessment;"
        "a = Assessment.objects.get(unit__code='16993', period_start__year=2024,"
        " stage='submitted'); print('found', a.pk, a.revision)",
    )
    assessment_id, revision = found.stdout.split("found ")[-1].split()
    status, body = call(
        "POST",
        f"{first}/api/assessments/{assessment_id}/transitions",
        {"action": "approve", "revision": int(revision)},
        token=token(first, "demo-nghean"),
    )
    assert status == 200, body

    template = tmp_path / "chi-so-16993-2024-06.xlsx"
    kieumau(production_env, "manage", "shell", "-c", f"PATH = {str(template)!r}\n{TEMPLATE}")
    opener, csrf = session_on(second, "demo-nghean")
    landed = upload(opener, csrf, second, template)
    assert re.search(r"/indicators/import/\d+/$", landed), landed
    # Debug off: the import waits in the queue (a table) until a worker takes it.
    assert call("GET", f"{first}/healthz")[1]["tasks_waiting"] >= 1
    kieumau(production_env, "manage", "db_worker", "--batch", "--no-startup-delay")
    assert call("GET", f"{first}/healthz")[1]["tasks_waiting"] == 0

    state = kieumau(production_env, "manage", "shell", "-c", STATE).stdout
    status, written, errors = state.split("STATE ", 1)[1].strip().split(" ", 2)
    assert (status, written) == ("failed", "False")
    assert "đã khóa" in errors
