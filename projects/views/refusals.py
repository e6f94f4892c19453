"""A service's refusal shown on the next page, for actions taken from a button
rather than a form (a form shows it next to its fields: `show_refusal`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from projects.models import Refused


def tell_refusal(request: HttpRequest, refused: Refused) -> None:
    """Each message of `refused` as an error message of the next page."""
    for message in refused.messages:
        messages.error(request, message)
