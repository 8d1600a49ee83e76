from django.urls import path

from assistants.faq_review import csv_views, views

# Included by assistants/urls.py, in its "assistants" namespace (assistants:faq_review, ...).
urlpatterns = [
    path("faq-review/", views.faq_review_queue, name="faq_review"),
    path("faq-review/refresh/", views.faq_review_refresh, name="faq_review_refresh"),
    path("faq-review/item/", views.faq_review_item, name="faq_review_item"),
    path("faq-review/bulk/", views.faq_review_bulk, name="faq_review_bulk"),
    path("faq-review/snooze/", views.faq_review_snooze, name="faq_review_snooze"),
    path("faq-review/export.csv", csv_views.faq_review_export, name="faq_review_export"),
    path("faq-review/import/", csv_views.faq_review_import, name="faq_review_import"),
    path(
        "faq-review/import/apply/",
        csv_views.faq_review_import_apply,
        name="faq_review_import_apply",
    ),
]
