"""Throttles whose rates are read at request time (settings.KC_API_RATES),
so that a deployment, or a test, can change them without a restart."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str:
        return settings.KC_API_RATES["user"]


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str:
        return settings.KC_API_RATES["anon"]
