from django.contrib.auth import views as auth_views
from django.urls import include, path

from assistants import views as assistant_views
from assistants.team import views as team_views

urlpatterns = [
    path("", include("assistants.calls.urls")),
    path("", include("assistants.urls")),
    path("team/", include("assistants.team.urls")),
    path("changes/", include("assistants.changes.urls")),
    path("jobs/", include("assistants.jobs.urls")),
    path("health/", assistant_views.health, name="health"),
    path("accounts/login/", team_views.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        team_views.password_reset_view,
        name="password_reset",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
