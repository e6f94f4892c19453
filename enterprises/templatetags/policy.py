"""`{% if user|can:"permission" %}`: the permission policy (enterprises.policy)
in templates, so that a page shows what its views allow and nothing else."""

from __future__ import annotations

from typing import Any

from django import template

from .. import policy

register = template.Library()


@register.filter
def can(user: Any, permission: str) -> bool:
    return policy.can(user, permission)
