import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
application = get_wsgi_application()


def _import_every_url_module() -> None:
    """Import the URL configuration (and so every view, the API and what they import) now rather
    than on the first request, which would otherwise take seconds in each new worker. Under
    gunicorn's --preload (`kieumau serve`) the master does it once and its workers share it."""
    from django.db import connections
    from django.urls import get_resolver

    patterns = get_resolver().url_patterns  # a lazy property: reading it imports them
    del patterns
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:  # (a test importing this inside its transaction)
            connection.close()  # a forked worker must never inherit the master's connection


_import_every_url_module()
# What is loaded by now lives as long as the process: frozen, the cyclic collector stops walking
# it at every full collection (one during a national dashboard page cost 90 ms of its 200;
# bench_dashboard), and workers forked from a preloading master keep sharing its memory pages.
gc.collect()
gc.freeze()
