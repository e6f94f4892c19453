"""Test settings: the production configuration plus what makes tests fast.

Everything that matters (database, broker, locale, security headers) still
comes from `base` and the environment, so CI exercises what production runs.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-production-use-xxxxxxxx"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

# A test database never has to survive a crash: PostgreSQL may acknowledge a
# commit before its log reaches the disk. Commits stay atomic, isolated and
# visible to other sessions at once (locks and concurrency tests are
# unchanged); they no longer wait for the disk. Transactional tests commit a
# lot: the live server each request, the flush after each test the hundreds
# of rows of reference data it restores, the migrations creating the database.
if DATABASES["default"]["ENGINE"] == "khuyencong.db":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        _options.get("options", "") + " -c synchronous_commit=off"
    ).strip()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded files of a test run never land in the developer's media folder;
# each process that loads these settings (the test processes, a manage.py a
# test runs) has folders of its own and removes them when it exits. (The
# Celery workers the tests start use the production settings, with the test
# process's MEDIA_ROOT.)
MEDIA_ROOT = tempfile.mkdtemp(prefix="kc-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="kc-test-static-")
for _folder in (MEDIA_ROOT, STATIC_ROOT):
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)
# Static files straight from the finders, looked up per request: every test
# client builds the middleware afresh, and a whitenoise that indexed every
# file of every app (the admin's, the API browser's) on start made each new
# client's first request about 12 ms slower (the permission matrix, which
# opens some 1,000 clients, ran 37.6 s instead of 25.5 s).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A board cached by one test must not answer the next one's different data;
# tests/dashboard/test_dashboard_cache.py turns the cache on where it is the
# subject.
# (The benchmark sets the variable to measure the production default.)
KC_DASHBOARD_CACHE_SECONDS = int(os.environ.get("KC_DASHBOARD_CACHE_SECONDS", "0"))

# The same for the project list's count and totals (tests/projects turns it
# on where caching is the subject).
KC_LIST_CACHE_SECONDS = int(os.environ.get("KC_LIST_CACHE_SECONDS", "0"))
# And the menu's unread counts (tests/dashboard/test_notifications.py).
KC_INBOX_CACHE_SECONDS = int(os.environ.get("KC_INBOX_CACHE_SECONDS", "0"))

# Each test process keeps its own cache, whatever broker the environment
# names (the shared-cache tests point at Redis themselves).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The same for the public page's cached fragments; tests/public turns it on
# where caching is the subject.
KC_PUBLIC_CACHE_SECONDS = int(os.environ.get("KC_PUBLIC_CACHE_SECONDS", "0"))
