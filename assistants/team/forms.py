from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from assistants.team.roles import ROLES

ROLE_CHOICES = [(r, r) for r in ROLES]


class MemberAddForm(forms.Form):
    name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        initial="Viewer",  # the least access; an Admin raises it on purpose
        widget=forms.RadioSelect,  # drawn with each role's description by team/list.html
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if (
            users.filter(email__iexact=email).exists()
            or users.filter(username__iexact=email).exists()
        ):
            raise forms.ValidationError("Someone with this e-mail is already on the team.")
        return email


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
