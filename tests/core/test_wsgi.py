"""Loading the WSGI application, as gunicorn's preloading master does: every URL module is
imported and what was loaded is frozen out of the cyclic collector's full collections."""

import os
import subprocess
import sys

SCRIPT = """
import gc, sys
before = gc.get_freeze_count()
import kieumau.wsgi
print(before, gc.get_freeze_count(), "kieumau.dashboards.views" in sys.modules)
"""


def test_loading_the_application_imports_the_views_and_freezes_what_it_loaded(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kieumau.settings", "KIEUMAU_DEBUG": "0",
           "KIEUMAU_SECRET_KEY": "test-only-secret", "KIEUMAU_VAR_DIR": str(tmp_path),
           "KIEUMAU_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    before, after, views_loaded = done.stdout.split()
    assert int(before) == 0 and int(after) > 10_000
    assert views_loaded == "True"
