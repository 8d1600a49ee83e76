from django.urls import path

from assistants.history import views

# Included by assistants/urls.py, in its "assistants" namespace (assistants:history, ...).
# Included before the assistants' own patterns: "assistants/import/" is not an assistant's id.
urlpatterns = [
    path("assistants/import/", views.assistant_import, name="import"),
    path("assistants/<str:revox_id>/history/", views.assistant_history, name="history"),
    path(
        "assistants/<str:revox_id>/history/<int:change_id>/restore/",
        views.change_restore,
        name="restore",
    ),
    path("assistants/<str:revox_id>/recreate/", views.assistant_recreate, name="recreate"),
    path("assistants/<str:revox_id>/export/", views.assistant_export, name="export"),
    path("activity/", views.activity, name="activity"),
]
