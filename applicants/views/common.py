"""Who may open the applicants' pages.

Every applicant page reads through `filing_account` (an applicant account bound to a
verified establishment) and `SupportRequest.objects.of_user`: a record of
another establishment is a 404, never a page. Staff pages ask the policy for
"handle_requests" (enterprises.policy.require), as every other page does.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from enterprises.policy import require

from ..models import (
    ApplicantLink,
    SupportRequest,
)


def applicant_account(request: HttpRequest) -> ApplicantLink:
    """The applicant's account, verified or not; others are refused."""
    require(request.user, "file_requests")
    link = ApplicantLink.objects.filter(user=request.user).first()
    if link is None:
        raise PermissionDenied
    return link


def filing_account(request: HttpRequest) -> ApplicantLink:
    """An account that may file: bound to a verified establishment."""
    link = applicant_account(request)
    if not link.may_file:
        raise PermissionDenied
    return link


def own_request(request: HttpRequest, pk: int) -> SupportRequest:
    filing_account(request)
    return get_object_or_404(
        SupportRequest.objects.of_user(request.user).select_related(
            "establishment", "content", "project"
        ),
        pk=pk,
    )
