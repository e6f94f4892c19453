"""The WSGI application `make bench` serves under gunicorn: the portal's own,
plus the benchmark's references at /__bench__/ (never in the product's
URLs):

- /__bench__/minimal/: a view that reads the signed-in user (so the session
  and user lookups are paid as on a real page) and answers a few bytes,
  through the same middleware as every page: the ceiling of this stack;
- /__bench__/bare/: a plain WSGI answer before Django: the server's own
  ceiling.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.test")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "devdata.bench_urls"

django_application = get_wsgi_application()


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__bench__/bare/":
        start_response(
            "200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")]
        )
        return [b"ok"]
    return django_application(environ, start_response)
