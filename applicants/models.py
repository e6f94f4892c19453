"""The establishments' own accounts and their requests for support.

An account (ApplicantLink) is bound to one establishment of the registry once
the centre's staff have checked the claim; a request (SupportRequest) is what
the establishment asks for, with its documents and its exchange with the
centre, until the centre turns it into a draft project or declines it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Establishment
from enterprises.money import MoneyField
from projects.models import ActivityContent, Project, StoredFile


class ApplicantLink(models.Model):
    """One applicant account and the establishment it speaks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applicant_link",
        verbose_name=_("user"),
    )
    # Empty until the centre has matched the claim to a registry record.
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applicant_links",
        verbose_name=_("establishment"),
    )
    claimed_code = models.CharField(
        _("tax code or household business registration number"), max_length=50
    )
    claimed_name = models.CharField(_("establishment name"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        _("e-mail confirmed at"), null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("applicant account")
        verbose_name_plural = _("applicant accounts")
        indexes = [
            models.Index(fields=["verified_at"], name="applicant_link_verified_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.claimed_code}"

    @property
    def may_file(self) -> bool:
        return bool(
            self.establishment_id and self.verified_at and self.email_confirmed_at
        )


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent to the centre")
    RETURNED = "returned", _("Information asked for")
    ACCEPTED = "accepted", _("Accepted: project drafted")
    DECLINED = "declined", _("Declined")


# The states in which the establishment may still change what it asks for.
APPLICANT_EDITABLE = (RequestStatus.DRAFT, RequestStatus.RETURNED)


class SupportRequestQuerySet(models.QuerySet):
    def of_user(self, user) -> SupportRequestQuerySet:
        """The requests of the establishment the user's account is bound to."""
        link = getattr(user, "applicant_link", None)
        if link is None or not link.establishment_id or not link.verified_at:
            return self.none()
        return self.filter(establishment_id=link.establishment_id)


class SupportRequest(models.Model):
    """An establishment's request for support (đề nghị hỗ trợ)."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("establishment"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("what the request is for"), max_length=500)
    content = models.ForeignKey(
        ActivityContent,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("activity content"),
    )
    items = models.TextField(_("what is to be bought or done"))
    total_cost = MoneyField(_("total cost (đồng)"), default=0)
    requested = MoneyField(_("support requested (đồng)"), default=0)
    counterpart = MoneyField(_("counterpart funds (đồng)"), default=0)
    expected_results = models.TextField(_("expected results"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # Several requests may end in one group project (issue 21, point 2).
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [
            models.Index(
                fields=["status", "submitted_at"], name="support_request_queue_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_cost__gte=0)
                & models.Q(requested__gte=0)
                & models.Q(counterpart__gte=0),
                name="support_request_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("applicants:request", args=[self.pk])

    @property
    def applicant_may_edit(self) -> bool:
        return self.status in APPLICANT_EDITABLE


class RequestMessage(models.Model):
    """One message of the exchange between the centre and the establishment."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    from_centre = models.BooleanField(_("from the centre"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:50]


class DocumentKind(models.TextChoices):
    REGISTRATION = "registration", _("Business registration")
    QUOTATION = "quotation", _("Quotation")
    FINANCIAL = "financial", _("Financial statements")
    OTHER = "other", _("Other document")


def document_path(instance: RequestDocument, filename: str) -> str:
    # As for project attachments: a random stored name with the sniffed
    # extension; the uploader's file name never reaches the disk.
    return f"requests/{instance.request_id}/{uuid.uuid4().hex}{instance.extension}"


class RequestDocument(StoredFile):
    """A document of a request, in private storage, served only through a
    view that checks who asks."""

    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("request"),
    )
    message = models.ForeignKey(
        RequestMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("message"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("request document")
        verbose_name_plural = _("request documents")
