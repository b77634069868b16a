"""Settings for the test suite: the product's own settings with test-only defaults."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("KIEUMAU_DEBUG", "1")
os.environ.setdefault("KIEUMAU_SECRET_KEY", "test-only-secret")
os.environ.setdefault("KIEUMAU_TASKS_IMMEDIATE", "1")

from kieumau.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is absent)

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared memory: tests that commit for real (threads racing, a process killed
    # in the middle of an import) need other connections to see committed rows and to wait for
    # the write lock, as they do in production. One file per test process.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"kieumau-test-{os.getpid()}.sqlite3")
    }
# pytest-django runs with DEBUG off, and nothing is collected for the test process: plain storage
# (the manifest storage of production is tested on real servers in tests/deploy).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
