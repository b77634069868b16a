"""Two app servers (gunicorn through `kieumau serve`, debug off) on one database share nothing in
process memory: what one server decides (a sign-in lock-out, a month locked by an approval)
holds on the other. This is how kieumau grows past one machine (README, "Deployment")."""

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
    import urllib.request

    with urllib.request.urlopen(f"{server}/api/docs", timeout=10) as response:
        page = response.read().decode()
    # Hashed names from the manifest that collectstatic wrote; served by WhiteNoise.
    assert "/static/ninja/swagger-ui" in page
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
    assert "tạm khóa" in body["detail"]


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
    assert "đã khóa" in body["errors"][0]["message"]
