"""The signed-in user's own page: who they are, their e-mail, their language."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.roles import Role, roles_of


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        # Vietnamese order, as the demo users and get_full_name() have it:
        # first_name holds the family and middle names, last_name the given.
        fields = ["first_name", "last_name", "email"]
        labels = {
            "first_name": gettext_lazy("Family and middle name"),
            "last_name": gettext_lazy("Given name"),
            "email": gettext_lazy("E-mail"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another account uses this e-mail."))
        return email


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details were saved."))
        return redirect("profile")
    roles = [Role(r).label for r in sorted(roles_of(request.user))]
    return render(request, "registration/profile.html", {"form": form, "roles": roles})
