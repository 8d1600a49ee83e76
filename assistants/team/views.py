"""The team page (add people, change their role, deactivate them) and the sign-in page, with
the page django-axes shows while a lockout lasts."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assistants.team import services
from assistants.team.forms import MemberAddForm, MemberRoleForm
from assistants.team.roles import ROLE_DESCRIPTIONS, ROLES, admin_required, user_role

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-in attempts for this account from your network. "
    "For your security, signing in is paused for 15 minutes. "
    "If you forgot your password, reset it below."
)

ADDRESS_LOCKED_OUT_MESSAGE = (
    "Too many failed sign-in attempts from your network. "
    "For your security, signing in from it is paused for 15 minutes. "
    "If you forgot your password, reset it below."
)

_login = auth_views.LoginView.as_view(redirect_authenticated_user=True)


def _ip_address(request: HttpRequest) -> str | None:
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    """Django's sign-in page, paused for a network address that failed too often (django-axes
    pauses one user name from one address)."""
    if request.method == "POST" and services.sign_in_paused_for_address(
        ip_address=_ip_address(request)
    ):
        return _locked_out_page(request, ADDRESS_LOCKED_OUT_MESSAGE)
    return _login(request)


@login_not_required
def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args, **kwargs
) -> HttpResponse:
    """django-axes calls this instead of the login view while a lockout lasts."""
    return _locked_out_page(request, LOCKED_OUT_MESSAGE)


def _locked_out_page(request: HttpRequest, message: str) -> HttpResponse:
    form = auth_views.AuthenticationForm(request, data=request.POST or None)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out_message": message},
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with its e-mails limited (services.password_reset_allowed). Over
    the limit it answers as when it sends one, so it tells no one which addresses have an
    account, and sends nothing."""

    def form_valid(self, form):
        if services.password_reset_allowed(
            email=form.cleaned_data["email"], ip_address=_ip_address(self.request) or ""
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


password_reset_view = PasswordResetView.as_view()


@require_http_methods(["GET", "POST"])
@admin_required
def team(request: HttpRequest) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = services.member_invite(
            request=request,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        messages.success(
            request,
            f"{member.get_full_name() or member.email} was added; a link to set a "
            f"password is on its way to {member.email}.",
        )
        return redirect("team:list")
    members = (
        get_user_model()
        .objects.prefetch_related("groups")
        .order_by("-is_active", "first_name", "username")
    )
    rows = [{"user": m, "role": user_role(m) if m.is_active else _stored_role(m)} for m in members]
    return render(
        request,
        "team/list.html",
        {"form": form, "rows": rows, "roles": ROLES, "role_descriptions": ROLE_DESCRIPTIONS},
        status=400 if form.errors else 200,
    )


def _stored_role(user) -> str | None:
    names = {g.name for g in user.groups.all()}
    return "Admin" if user.is_superuser else next((r for r in reversed(ROLES) if r in names), None)


@require_POST
@admin_required
def member_role(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(get_user_model(), pk=user_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Viewer, Editor or Admin.")
        return redirect("team:list")
    try:
        services.member_set_role(actor=request.user, member=member, role=form.cleaned_data["role"])
    except services.TeamError as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            f"{member.get_full_name() or member.username} is now {form.cleaned_data['role']}.",
        )
    return redirect("team:list")


@require_POST
@admin_required
def member_active(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(get_user_model(), pk=user_id)
    active = request.POST.get("active") == "1"
    try:
        services.member_set_active(actor=request.user, member=member, active=active)
    except services.TeamError as err:
        messages.error(request, str(err))
    else:
        who = member.get_full_name() or member.username
        messages.success(request, f"{who} was {'reactivated' if active else 'deactivated'}.")
    return redirect("team:list")
