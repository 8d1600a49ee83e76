from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assistants.jobs.selectors import jobs_active_count


def jobs(request: HttpRequest) -> dict:
    """The navigation's count of jobs running or waiting (lazy: read only by pages showing it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_active_jobs": SimpleLazyObject(jobs_active_count)}
