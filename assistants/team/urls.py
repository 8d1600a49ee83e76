from django.urls import path

from assistants.team import views as team_views

app_name = "team"

urlpatterns = [
    path("", team_views.team, name="list"),
    path("<int:user_id>/role/", team_views.member_role, name="role"),
    path("<int:user_id>/active/", team_views.member_active, name="active"),
]
