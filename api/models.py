"""API tokens: created by an administrator for one user, read or read-write.

Only a hash of the key is stored; the key is shown once, when the token is
created (the admin's message). A token acts as its user: the user's roles
decide what it may read and write, and its scope may only narrow that.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.roles import remember_roles
from enterprises.sql import Collect

KEY_PREFIX = "kc_"


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it.")
    )
    scope = models.CharField(
        _("scope"), max_length=5, choices=Scope.choices, default=Scope.READ
    )
    # The key's first characters, to find the row; the rest is checked
    # against the hash.
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at", "key_hash"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    def set_new_key(self) -> str:
        """A new random key for this token; returns it (shown once, never stored)."""
        prefix = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        self.prefix = prefix
        self.key_hash = _digest(key)
        return key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The usable token of `key`, or None."""
        if not key.startswith(KEY_PREFIX) or "_" not in key[len(KEY_PREFIX) :]:
            return None
        prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
        # The user's group names come with the key (the permission policy
        # reads the roles from them: enterprises.roles.remember_roles).
        groups = (
            Group.objects.filter(user=models.OuterRef("user_id"))
            .values("user")
            .annotate(names=Collect("name"))
            .values("names")
        )
        token = (
            cls.objects.usable()
            .select_related("user")
            .annotate(group_names=models.Subquery(groups))
            .filter(prefix=prefix)
            .first()
        )
        if token is None or not hmac.compare_digest(token.key_hash, _digest(key)):
            return None
        # No group: the subquery has no row, so no list.
        remember_roles(token.user, token.group_names or ())
        return token
