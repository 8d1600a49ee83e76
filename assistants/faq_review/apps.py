from django.apps import AppConfig


class FaqReviewConfig(AppConfig):
    """The FAQ review: one queue of every assistant's suggested answers. An app of its own so that
    its templates (templates/faq_review/) live beside its code."""

    name = "assistants.faq_review"
    label = "faq_review"
