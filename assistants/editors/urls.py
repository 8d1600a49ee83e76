from django.urls import path

from assistants.editors import views

# Included by assistants/urls.py, in its "assistants" namespace (the names are a contract of
# the templates and tests: assistants:edit, assistants:voice_preview).
urlpatterns = [
    path("assistants/<str:revox_id>/edit/<slug:group_slug>/", views.assistant_edit, name="edit"),
    path(
        "assistants/<str:revox_id>/edit/<slug:group_slug>/preview/",
        views.assistant_edit_preview,
        name="edit_preview",
    ),
    path("voices/preview/", views.voice_preview, name="voice_preview"),
]
