"""What PostgreSQL's planner would do with a query on a table of production size."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet


def plan_at_scale(queryset: QuerySet) -> str:
    """EXPLAIN of `queryset` with sequential and plain index scans switched off for the current
    transaction: a test's few rows are read faster without an index, a production table is not."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()
