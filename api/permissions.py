"""The API asks the pages' permission policy (enterprises.policy) for the
model permission of each method, viewing included, and applies a token's
scope on top: a read token never writes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from enterprises import policy

from .models import ApiToken


class RolePermission(permissions.DjangoModelPermissions):
    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }
    message = _("Your role does not allow this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        # Each endpoint names its model (`queryset`): building get_queryset()
        # for it, prefetches and money annotations included, cost the project
        # list a sixth of its time.
        named = getattr(view, "queryset", None)
        model = (named if named is not None else self._queryset(view)).model
        wanted = self.get_required_permissions(request.method, model)
        if not all(policy.can(user, name) for name in wanted):
            return False
        token = request.auth
        if (
            request.method not in permissions.SAFE_METHODS
            and isinstance(token, ApiToken)
            and not token.can_write
        ):
            self.message = _("This API key may only read.")
            return False
        return True
