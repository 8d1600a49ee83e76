from django.urls import path

from assistants.changes import views

app_name = "changes"
urlpatterns = [
    path("", views.changes_list, name="list"),
    path("new/", views.change_new, name="new"),
    path("settings/", views.changes_policy, name="policy"),
    path("<int:pk>/", views.change_detail, name="detail"),
    path("<int:pk>/preview/", views.change_preview_again, name="preview"),
    path("<int:pk>/apply/", views.change_apply, name="apply"),
    path("<int:pk>/approve/", views.change_approve, name="approve"),
    path("<int:pk>/rollback/", views.change_rollback, name="rollback"),
]
