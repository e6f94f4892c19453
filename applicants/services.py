"""The applicants' workflows: signing up, the centre's verification, and a
request from its draft to a project or a refusal.

Every function takes keyword-only arguments, checks who acts and what state
the record is in, changes it in one transaction and raises the one refusal error,
projects.models.Refused (translated messages, nothing changed), when refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Establishment
from enterprises.policy import can
from enterprises.roles import GROUP_NAMES, Role
from notifications.models import NotificationKind
from notifications.sending import notify, users_with_role
from projects.models import Plan, Project, Refused, Source
from projects.models.choices import _money
from projects.rule_check import project_rule_check
from projects.services import project_save_draft

from .models import (
    APPLICANT_EDITABLE,
    ApplicantLink,
    DocumentKind,
    RequestDocument,
    RequestMessage,
    RequestStatus,
    SupportRequest,
)

# --- accounts -------------------------------------------------------------------


def applicant_sign_up(
    *, email: str, password: str, claimed_code: str, claimed_name: str, phone: str
) -> ApplicantLink:
    """An inactive account until its e-mail is confirmed, bound to no
    establishment until the centre verifies the claim."""
    email = email.strip().lower()
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=email, email=email, is_active=False)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.APPLICANT]))
        return ApplicantLink.objects.create(
            user=user,
            claimed_code=claimed_code.strip(),
            claimed_name=claimed_name.strip(),
            phone=phone.strip(),
        )


def applicant_confirm_email(*, link: ApplicantLink) -> ApplicantLink:
    with transaction.atomic():
        link.user.is_active = True
        link.user.save(update_fields=["is_active"])
        if link.email_confirmed_at is None:
            link.email_confirmed_at = timezone.now()
            link.save(update_fields=["email_confirmed_at"])
    return link


def registry_matches(link: ApplicantLink):
    """Registry records whose tax code or registration number is the one the
    applicant gave."""
    code = link.claimed_code.strip()
    return Establishment.objects.filter(
        Q(tax_code=code) | Q(business_registration_no=code)
    ).select_related("commune")


def applicant_verify(
    *, link: ApplicantLink, establishment: Establishment, by: Any
) -> ApplicantLink:
    """Bind the account to a registry record: from now on it may file."""
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may verify applicant accounts."))
    with transaction.atomic():
        link = ApplicantLink.objects.select_for_update().get(pk=link.pk)
        link.establishment = establishment
        link.verified_by = by
        link.verified_at = timezone.now()
        link.save(update_fields=["establishment", "verified_by", "verified_at"])
        notify(
            users=[link.user],
            kind=NotificationKind.OTHER,
            title=_("Your account is verified for %(name)s")
            % {"name": establishment.name},
            body=_("You can now file requests for support online."),
            link=reverse("applicants:home"),
        )
    return link


def applicant_add_account(
    *, establishment: Establishment, email: str, phone: str, by: Any
) -> ApplicantLink:
    """Another account for an establishment, made by the centre: bound and
    verified at once (the staff vouch for it), usable once its owner has set
    a password through the link sent to the address."""
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may add applicant accounts."))
    email = email.strip().lower()
    user_model = get_user_model()
    taken = Q(username__iexact=email) | Q(email__iexact=email)
    if user_model.objects.filter(taken).exists():
        message = _("An account with this e-mail exists.")
        raise Refused(message, fields={message: ("email",)})
    now = timezone.now()
    with transaction.atomic():
        user = user_model(username=email, email=email, is_active=True)
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.APPLICANT]))
        return ApplicantLink.objects.create(
            user=user,
            establishment=establishment,
            claimed_code=establishment.tax_code
            or establishment.business_registration_no,
            claimed_name=establishment.name,
            phone=phone.strip(),
            email_confirmed_at=now,
            verified_by=by,
            verified_at=now,
        )


def applicant_set_active(*, link: ApplicantLink, active: bool, by: Any) -> None:
    """Stop an account from logging in, or let it in again. An account whose
    owner never confirmed the e-mail stays closed: confirming opens it."""
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may manage applicant accounts."))
    if active and link.email_confirmed_at is None:
        raise Refused(
            _("This account has not confirmed its e-mail; it opens once it does.")
        )
    user = link.user
    user.is_active = active
    user.save(update_fields=["is_active"])


# --- checking a request -----------------------------------------------------------


@dataclass
class RequestCheck:
    """What stops a request from being sent, by form field ("" for the
    request as a whole), and notes that do not stop it."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.setdefault(where, []).append(message)

    def __bool__(self) -> bool:
        return not self.problems

    @property
    def messages(self) -> list[str]:
        return [m for ms in self.problems.values() for m in ms]

    @property
    def fields(self) -> dict[str, tuple[str, ...]]:
        """The problems as a refusal's `fields` (message -> fields)."""
        return {m: (where,) for where, ms in self.problems.items() if where for m in ms}


def request_check(request: SupportRequest, day: dt.date | None = None) -> RequestCheck:
    """The request against the support and eligibility rules in force on
    `day`, through the same check as a project at submission
    (projects.rule_check), as if it were a local project for its
    establishment."""
    day = day or timezone.localdate()
    check = RequestCheck()
    if request.requested <= 0:
        check.add("requested", _("Say how much support you ask for."))
    if request.counterpart <= 0:
        check.add("counterpart", _("Give your counterpart funds."))
    parts = request.requested + request.counterpart
    if request.total_cost != parts:
        check.add(
            "total_cost",
            _(
                "The parts do not add up: total cost %(total)s, but support "
                "%(support)s + counterpart %(counterpart)s = %(parts)s."
            )
            % {
                "total": _money(request.total_cost),
                "support": _money(request.requested),
                "counterpart": _money(request.counterpart),
                "parts": _money(parts),
            },
        )
    if not request.content_id:
        return check
    project = Project(
        title=request.title,
        content=request.content,
        total_cost=request.total_cost,
        counterpart=request.counterpart,
    )
    verdict = project_rule_check(
        project,
        step="submit",
        day=day,
        amounts={Source.LOCAL: request.requested},
        beneficiaries=[request.establishment],
    )
    # Eligibility is about the establishment, shown above the form; every
    # other rule is about the support asked for, shown next to it.
    eligibility = request.establishment.eligibility(
        day,
        rule=verdict.eligibility_rule,
        cleaner_production=request.content.code == 5,
    )
    for problem in verdict.problems:
        about_who = not eligibility and str(eligibility.reason) in problem
        check.add("" if about_who else "requested", problem)
    check.notes = list(verdict.notes)
    return check


# --- writing and sending ----------------------------------------------------------


def _applicant_request(request: SupportRequest, by: Any) -> None:
    link = getattr(by, "applicant_link", None)
    if (
        link is None
        or not link.may_file
        or link.establishment_id != request.establishment_id
    ):
        raise Refused(_("This request is not one of your establishment's."))


def request_save(*, request: SupportRequest, by: Any) -> SupportRequest:
    """Create or update a request the establishment is still writing."""
    link = getattr(by, "applicant_link", None)
    if link is None or not link.may_file:
        raise Refused(
            _("Your account must be verified by the centre before you can file.")
        )
    if request.pk is None:
        request.establishment = link.establishment
        request.created_by = by
    _applicant_request(request, by)
    with transaction.atomic():
        if request.pk:
            current = SupportRequest.objects.select_for_update().get(pk=request.pk)
            if current.status not in APPLICANT_EDITABLE:
                raise Refused(_("This request can no longer be changed."))
            request.status = current.status
        request.save()
    return request


def _staff_of_centre() -> list[Any]:
    return list(users_with_role(Role.STAFF))


def _applicants_of(request: SupportRequest) -> list[Any]:
    return [
        link.user
        for link in ApplicantLink.objects.filter(
            establishment_id=request.establishment_id,
            verified_at__isnull=False,
            user__is_active=True,
        ).select_related("user")
    ]


def request_submit(*, request: SupportRequest, by: Any) -> SupportRequest:
    """Send a draft to the centre, or send it back after answering; refused
    while the rules say no."""
    _applicant_request(request, by)
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in APPLICANT_EDITABLE:
            raise Refused(_("This request has already been sent."))
        check = request_check(locked)
        if not check:
            raise Refused(*check.messages, fields=check.fields)
        if not locked.documents.exists():
            raise Refused(
                _("Attach at least one document (e.g. the business registration).")
            )
        locked.status = RequestStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        notify(
            users=_staff_of_centre(),
            kind=NotificationKind.OTHER,
            title=_("Request for support from %(name)s")
            % {"name": locked.establishment.name},
            body=locked.title,
            link=reverse("applicants:staff_request", args=[locked.pk]),
        )
    request.refresh_from_db()
    return request


def request_attach(
    *,
    request: SupportRequest,
    by: Any,
    kind: str,
    upload: UploadedFile,
    message: RequestMessage | None = None,
) -> RequestDocument:
    """Store a document of the request after the same type and size checks
    as the centre's own uploads (StoredFile.take)."""
    document = RequestDocument(
        request=request, message=message, kind=kind, uploaded_by=by
    )
    try:
        document.take(upload)
    except ValidationError as invalid:
        raise Refused(
            *invalid.messages, fields=dict.fromkeys(invalid.messages, ("file",))
        ) from invalid
    document.save()
    return document


def request_add_document(
    *, request: SupportRequest, by: Any, kind: str, upload: UploadedFile
) -> RequestDocument:
    """An applicant adds a document while the request is theirs to change."""
    _applicant_request(request, by)
    if request.status not in APPLICANT_EDITABLE:
        raise Refused(_("This request can no longer be changed."))
    return request_attach(request=request, by=by, kind=kind, upload=upload)


def _post(
    *,
    request: SupportRequest,
    by: Any,
    body: str,
    uploads: Sequence[UploadedFile],
    from_centre: bool,
) -> RequestMessage:
    if not body.strip():
        message = _("Write a message.")
        raise Refused(message, fields={message: ("body",)})
    message = RequestMessage.objects.create(
        request=request, author=by, body=body.strip(), from_centre=from_centre
    )
    for upload in uploads:
        request_attach(
            request=request,
            by=by,
            kind=DocumentKind.OTHER,
            upload=upload,
            message=message,
        )
    return message


def request_ask(*, request: SupportRequest, by: Any, body: str) -> RequestMessage:
    """The centre asks for missing documents or clarification; the request
    goes back to the establishment."""
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may ask for information."))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.SUBMITTED:
            raise Refused(_("Only a request sent to the centre can be answered."))
        message = _post(request=locked, by=by, body=body, uploads=(), from_centre=True)
        locked.status = RequestStatus.RETURNED
        locked.save(update_fields=["status", "updated_at"])
        notify(
            users=_applicants_of(locked),
            kind=NotificationKind.OTHER,
            title=_("The centre asks about your request “%(title)s”")
            % {"title": locked.title},
            body=message.body,
            link=reverse("applicants:request", args=[locked.pk]),
        )
    request.refresh_from_db()
    return message


def request_answer(
    *,
    request: SupportRequest,
    by: Any,
    body: str,
    uploads: Sequence[UploadedFile] = (),
) -> RequestMessage:
    """The establishment answers the centre, with documents; the request is
    sent back to the centre."""
    _applicant_request(request, by)
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.RETURNED:
            raise Refused(_("The centre has not asked anything about this."))
        message = _post(
            request=locked, by=by, body=body, uploads=uploads, from_centre=False
        )
        locked.status = RequestStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        notify(
            users=_staff_of_centre(),
            kind=NotificationKind.OTHER,
            title=_("%(name)s answered about “%(title)s”")
            % {"name": locked.establishment.name, "title": locked.title},
            body=message.body,
            link=reverse("applicants:staff_request", args=[locked.pk]),
        )
    request.refresh_from_db()
    return message


def request_decline(*, request: SupportRequest, by: Any, reason: str) -> SupportRequest:
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may decline a request."))
    if not reason.strip():
        message = _("Give the reason.")
        raise Refused(message, fields={message: ("reason",)})
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.SUBMITTED:
            raise Refused(_("Only a request sent to the centre can be declined."))
        locked.status = RequestStatus.DECLINED
        locked.decline_reason = reason.strip()
        locked.save(update_fields=["status", "decline_reason", "updated_at"])
        notify(
            users=_applicants_of(locked),
            kind=NotificationKind.OTHER,
            title=_("Your request “%(title)s” was declined") % {"title": locked.title},
            body=locked.decline_reason,
            link=reverse("applicants:request", args=[locked.pk]),
        )
    request.refresh_from_db()
    return request


def request_to_project(*, request: SupportRequest, by: Any, plan: Plan) -> Project:
    """Turn a request into a draft project (projects' own drafting service),
    carrying its data over and keeping the link both ways."""
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may draft projects."))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.SUBMITTED or locked.project_id:
            raise Refused(_("Only a request sent to the centre can become a project."))
        establishment = locked.establishment
        project = Project(
            title=locked.title[:500],
            content=locked.content,
            commune=establishment.commune,
            objectives="\n\n".join(
                part for part in (locked.items, locked.expected_results) if part
            ),
            total_cost=locked.total_cost,
            counterpart=locked.counterpart,
        )
        project = project_save_draft(
            project=project,
            by=by,
            fundings=[(plan, locked.requested)],
            beneficiaries=[establishment],
        )
        locked.project = project
        locked.status = RequestStatus.ACCEPTED
        locked.save(update_fields=["project", "status", "updated_at"])
        notify(
            users=_applicants_of(locked),
            kind=NotificationKind.OTHER,
            title=_("Your request “%(title)s” became project %(code)s")
            % {"title": locked.title, "code": project.code},
            link=reverse("applicants:project", args=[project.pk]),
        )
    request.refresh_from_db()
    return project


def request_join_project(
    *, request: SupportRequest, by: Any, project: Project, plan: Plan
) -> Project:
    """Accept a request into a group project the centre is still writing:
    its establishment becomes one more beneficiary, and its cost, counterpart
    and support (on `plan`) are added to the project's, through projects' own
    drafting service (which refuses a project no longer editable)."""
    if not can(by, "handle_requests"):
        raise Refused(_("Only centre staff may draft projects."))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.SUBMITTED or locked.project_id:
            raise Refused(_("Only a request sent to the centre can join a project."))
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.content_id != locked.content_id:
            message = _("The project is for another activity content than the request.")
            raise Refused(message, fields={message: ("project",)})
        beneficiaries = list(project.beneficiaries.all())
        if locked.establishment not in beneficiaries:
            beneficiaries.append(locked.establishment)
        fundings = {f.source: (f.plan, f.requested) for f in project.fundings.all()}
        source = plan.programme.source
        current = fundings.get(source)
        if current is not None and current[0].pk != plan.pk:
            message = _(
                "The project already takes this source's money from another plan."
            )
            raise Refused(message, fields={message: ("plan",)})
        fundings[source] = (plan, (current[1] if current else 0) + locked.requested)
        project.total_cost += locked.total_cost
        project.counterpart += locked.counterpart
        project.is_group = len(beneficiaries) > 1 or project.is_group
        line = f"{locked.establishment.name}: {locked.items}"
        project.objectives = "\n\n".join(p for p in (project.objectives, line) if p)
        project = project_save_draft(
            project=project,
            by=by,
            fundings=list(fundings.values()),
            beneficiaries=beneficiaries,
        )
        locked.project = project
        locked.status = RequestStatus.ACCEPTED
        locked.save(update_fields=["project", "status", "updated_at"])
        notify(
            users=_applicants_of(locked),
            kind=NotificationKind.OTHER,
            title=_("Your request “%(title)s” joined project %(code)s")
            % {"title": locked.title, "code": project.code},
            link=reverse("applicants:project", args=[project.pk]),
        )
    request.refresh_from_db()
    return project
