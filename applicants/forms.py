"""Forms of the applicants' pages: large controls, one column, for a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from projects import attachments
from projects.models import ActivityContent, Plan, Project
from projects.models.choices import EDITABLE_STATUSES

from .models import DocumentKind, SupportRequest

# What the file inputs offer: the types projects.attachments accepts.
ACCEPT = (
    "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt,.ods"
)
FILE_HELP = _("PDF, Word, Excel, OpenDocument, JPEG or PNG; at most 20 MB.")


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-lg")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control form-control-lg")


def _file_input(*, camera: bool = False) -> forms.ClearableFileInput:
    attrs = {"accept": "image/*" if camera else ACCEPT}
    if camera:
        attrs["capture"] = "environment"
    return forms.FileInput(attrs=attrs)


class SignUpForm(forms.Form):
    claimed_code = forms.CharField(
        label=_("Tax code or household business registration number"),
        max_length=50,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z./-]{3,50}$",
                _("Enter the code as printed: digits, letters, '-', '/' or '.'."),
            )
        ],
    )
    claimed_name = forms.CharField(label=_("Establishment name"), max_length=255)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        validators=[
            RegexValidator(
                r"^\+?[0-9 .]{9,20}$", _("Enter a phone number, e.g. 0912 345 678.")
            )
        ],
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel"}
        )
        self.fields["claimed_code"].widget.attrs["autocomplete"] = "off"
        _style(self)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail exists; log in or reset the password.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            user = get_user_model()(username=data.get("email", ""))
            try:
                password_validation.validate_password(one, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = [
            "title",
            "content",
            "items",
            "total_cost",
            "requested",
            "counterpart",
            "expected_results",
        ]
        widgets = {
            "items": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("E.g. Buying a rattan-splitting machine"),
            "items": _("Each machine or service with its quantity and price."),
            "counterpart": _("What the establishment pays itself."),
            "expected_results": _("Jobs, output, revenue after the investment."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content"].queryset = ActivityContent.objects.filter(is_active=True)
        _style(self)


class DocumentForm(forms.Form):
    """One document: a file from the phone, or a photo taken now."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"), required=False, widget=_file_input(), help_text=FILE_HELP
    )
    photo = forms.FileField(
        label=_("…or take a photo"), required=False, widget=_file_input(camera=True)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file") or data.get("photo")
        if upload is None:
            self.add_error("file", _("Choose a file or take a photo."))
            return data
        try:
            attachments.check(upload)
        except forms.ValidationError as error:
            self.add_error("file" if data.get("file") else "photo", error)
        data["upload"] = upload
        return data


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        widget=_file_input(),
        help_text=FILE_HELP,
    )
    photo = forms.FileField(
        label=_("…or take a photo"), required=False, widget=_file_input(camera=True)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        uploads = [u for u in (data.get("file"), data.get("photo")) if u]
        for name, upload in (("file", data.get("file")), ("photo", data.get("photo"))):
            if upload:
                try:
                    attachments.check(upload)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        data["uploads"] = uploads
        return data


class AskForm(forms.Form):
    body = forms.CharField(
        label=_("What is missing or unclear"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ConvertForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan the support is asked from"),
        queryset=Plan.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.select_related(
            "programme"
        ).order_by("-year", "programme__source", "pk")
        _style(self)


class VerifyForm(forms.Form):
    establishment = forms.ModelChoiceField(
        label=_("Registry record"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, matches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = matches
        _style(self)


class AccountForm(forms.Form):
    """Another account for an establishment, added by the centre."""

    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        validators=[
            RegexValidator(
                r"^\+?[0-9 .]{9,20}$", _("Enter a phone number, e.g. 0912 345 678.")
            )
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class JoinForm(forms.Form):
    """Accept a request into a project the centre is still writing."""

    project = forms.ModelChoiceField(
        label=_("Project still in draft"), queryset=Project.objects.none()
    )
    plan = forms.ModelChoiceField(
        label=_("Plan the support is asked from"),
        queryset=Plan.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, request: SupportRequest, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "join")
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.filter(
                status__in=EDITABLE_STATUSES, content_id=request.content_id
            )
            .select_related("content")
            .order_by("-created_at", "-pk")
        )
        self.fields["project"].label_from_instance = lambda p: f"{p.code} · {p.title}"
        self.fields["plan"].queryset = Plan.objects.select_related(
            "programme"
        ).order_by("-year", "programme__source", "pk")
        _style(self)
