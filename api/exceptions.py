"""Errors as JSON, in the portal's language (Vietnamese unless chosen).

Every error body has `detail` (one sentence) and, for invalid input,
`errors`: field name -> list of messages (`non_field_errors` for the record
as a whole), as the forms show them next to the fields.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_handler


def _texts(value) -> list[str]:
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(_texts(item))
        return out
    if isinstance(value, dict):
        return [f"{k}: {t}" for k, v in value.items() for t in _texts(v)]
    return [strip_tags(str(value))]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            errors = {k: _texts(v) for k, v in detail.items()}
        else:
            errors = {"non_field_errors": _texts(detail)}
        response.data = {
            "detail": _("The data sent is not valid; see the errors by field."),
            "errors": errors,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": strip_tags(str(response.data["detail"]))}
    return response
