"""Survey submissions against the real server, started as in production, on 127.0.0.1.

    .venv/bin/python bench/run.py --only survey_load [--postgres URL]

The server is started exactly as in production: `kieumau serve` with debug off (gunicorn's sync
workers, KIEUMAU_WEB_WORKERS of them, the application preloaded, each worker keeping its database
connection), collected static files, on a free port. Sync workers close the connection after each
answer, so every request opens a TCP connection, as behind a proxy that does not keep them alive.
After an untimed warm-up (each worker renders each page once) the driver measures a trivial page
(the tracking-code form /t/), opens the survey form N times (each resident needs a form token),
then posts the N answers from several threads, and prints requests per second, p50/p99 latency,
answers accepted (302) against answers stored in the database (must be equal), and the CPU time
per request of the driver, the server and PostgreSQL (the driver shares the machine's cores).
Bounded: BENCH_SURVEY_ANSWERS (default 2000) answers and BENCH_SURVEY_SECONDS (default 60) per
phase. The flood budgets are raised for the run: they would (rightly) stop one address sending
thousands of answers an hour.
Goal from the issue (2 cores): ≥ 500 answers/s, p99 < 100 ms, ≥ half the trivial page's rate.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from harness import PROJECT_DIR, ensure_tree

ANSWERS = int(os.environ.get("BENCH_SURVEY_ANSWERS", "2000"))
SECONDS = float(os.environ.get("BENCH_SURVEY_SECONDS", "60"))
THREADS = int(os.environ.get("BENCH_SURVEY_THREADS", "8"))
UNIT = "16939"
TOKEN = re.compile(rb'name="token" value="([^"]+)"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(static_root: Path) -> dict[str, str]:
    from django.conf import settings

    env = {key: value for key, value in os.environ.items() if not key.startswith("KIEUMAU_")}
    env.update(
        DJANGO_SETTINGS_MODULE="kieumau.settings",
        KIEUMAU_DATABASE_URL=os.environ["KIEUMAU_DATABASE_URL"],
        KIEUMAU_DEBUG="0",
        KIEUMAU_SECRET_KEY="bench-only-secret-" + "x" * 40,
        KIEUMAU_ALLOWED_HOSTS="127.0.0.1",
        KIEUMAU_SSL_REDIRECT="0",
        KIEUMAU_SECURE_COOKIES="0",
        KIEUMAU_HSTS_SECONDS="0",
        KIEUMAU_STATIC_ROOT=str(static_root),
        KIEUMAU_VAR_DIR=str(static_root.parent),
        KIEUMAU_SURVEY_UNIT_PER_HOUR="10000000",
        KIEUMAU_SURVEY_ADDRESS_PER_HOUR="10000000",
        PYTHONPATH=str(PROJECT_DIR / "src"),
    )
    del settings  # only imported to be sure Django is set up in this process
    return env


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
                   env=env, check=True, timeout=300)
    with open(log, "w") as out:
        # Exactly as production starts it: `kieumau serve` execs gunicorn with its settings.
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("kieumau")), "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/t/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer: {log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def drive(port: int, jobs: list, send) -> tuple[list[float], list[int], float]:
    """Run `send(connection, job)` for every job from THREADS threads; latencies and statuses."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    queue = list(reversed(jobs))
    stop_at = time.monotonic() + SECONDS

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if not queue:
                    break
                job = queue.pop()
            started = time.perf_counter()
            try:
                status = send(connection, job)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def cpu_seconds(server: subprocess.Popen) -> dict[str, float]:
    """CPU seconds used so far by this driver, the server (gunicorn's process group) and the
    database server's processes (PostgreSQL; SQLite runs inside the server), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"driver": 0.0, "server": 0.0, "database": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(stat.parent.name) == os.getpid():
            used["driver"] += seconds
        elif int(fields[2]) == server.pid:  # process group
            used["server"] += seconds
        elif name == "postgres":
            used["database"] += seconds
    return used


def cpu_per_request(before: dict[str, float], after: dict[str, float], requests: int) -> str:
    """Where the machine's two cores went, per request (the driver shares them)."""
    return "CPU per request: " + ", ".join(
        f"{who} {(after[who] - before[who]) / max(requests, 1) * 1000:.2f} ms" for who in before)


def report(label: str, latencies: list[float], statuses: list[int], wall: float) -> float:
    rate = len(statuses) / wall if wall else 0.0
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"  {label:<34} {len(statuses):>6} requests {rate:>8.0f}/s  "
          f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms", flush=True)
    return rate


def run() -> None:
    ensure_tree()
    from kieumau.citizens.models import SurveyAnswer

    work = Path(tempfile.mkdtemp(prefix="kieumau-bench-survey-"))
    env = server_env(work / "static")
    port = free_port()
    server = start_server(env, port, work / "gunicorn.log")
    try:
        def get(connection, path):
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            return response.status, body, response.getheader("Set-Cookie") or ""

        # Untimed warm-up: every worker renders each page once (templates, catalogues).
        drive(port, ["/t/", f"/s/{UNIT}/"] * 100, lambda c, p: get(c, p)[0])
        cpu = cpu_seconds(server)
        trivial = drive(port, ["/t/"] * ANSWERS, lambda c, p: get(c, p)[0])
        trivial_rate = report("trivial page GET /t/", *trivial)
        print("    " + cpu_per_request(cpu, cpu_seconds(server), len(trivial[1])), flush=True)

        forms: list[tuple[str, str, str]] = []

        def open_form(connection, _job):
            status, body, cookie = get(connection, f"/s/{UNIT}/")
            csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)
            forms.append((TOKEN.search(body)[1].decode(), CSRF.search(body)[1].decode(),
                          csrf_cookie[1] if csrf_cookie else ""))
            return status

        report("survey form GET /s/<unit>/", *drive(port, [None] * ANSWERS, open_form))

        def post(connection, form):
            token, csrf, cookie = form
            body = urllib.parse.urlencode({
                "csrfmiddlewaretoken": csrf, "token": token, "procedure": "tam_tru",
                "score_access": "5", "score_procedure": "4", "score_officer": "5",
                "score_result": "4", "score_feedback": "5", "comment": "Bench"})
            connection.request("POST", f"/s/{UNIT}/", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}", "Referer": f"http://127.0.0.1:{port}/s/{UNIT}/"})
            response = connection.getresponse()
            response.read()
            return response.status

        before = SurveyAnswer.objects.count()
        cpu = cpu_seconds(server)
        latencies, statuses, wall = drive(port, forms, post)
        rate = report("survey answer POST /s/<unit>/", latencies, statuses, wall)
        print("    " + cpu_per_request(cpu, cpu_seconds(server), len(statuses)), flush=True)
        stored = SurveyAnswer.objects.count() - before
        accepted = statuses.count(302)
        others = {status: statuses.count(status) for status in set(statuses) if status != 302}
        print(f"  answers accepted {accepted}, stored {stored}"
              f" ({'nothing lost' if accepted == stored else 'MISMATCH'}); other answers {others}; "
              f"answer rate / trivial page rate = {rate / trivial_rate:.2f}" if trivial_rate else "",
              flush=True)
    finally:
        stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
