"""The one thing the portal keeps about a user beyond Django's auth tables:
the interface language they chose (the profile page and the user menu live
in this app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserPreference(models.Model):
    """A user's interface language, applied at every login on any browser.

    Empty: the portal's language (Vietnamese). The anonymous visitor's choice
    stays in the language cookie; an account's lives here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("interface language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)
