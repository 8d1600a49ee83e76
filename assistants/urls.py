from django.urls import path
from django.views.generic.base import RedirectView

from . import views

app_name = "assistants"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="assistants:list", permanent=False), name="home"),
    path("assistants/", views.assistant_list, name="list"),
    path("assistants/refresh/", views.assistants_refresh, name="refresh"),
    path("assistants/new/", views.assistant_create, name="create"),
    path("assistants/<str:revox_id>/", views.assistant_detail, name="detail"),
    path("assistants/<str:revox_id>/clone/", views.assistant_clone, name="clone"),
    path("assistants/<str:revox_id>/delete/", views.assistant_delete, name="delete"),
    path("assistants/<str:revox_id>/edit/<slug:group_slug>/", views.assistant_edit, name="edit"),
]
