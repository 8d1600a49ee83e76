"""The assistants list's rows, rendered once in Python.

The list is the page ops staff open most, and it must answer in under ~20 ms for 2,000
assistants (bench/, issue 9). Rendered by the template language, a row's 17 variables,
`naturaltime` and two date formats cost about 0.6 ms, so 50 rows were most of the page's time;
built here as plain strings, every value escaped (exactly as the template did), the same rows
cost a few microseconds each. The table's head, paging and filters stay in the template.

Every value goes through `e` (the standard library's `html.escape`, which escapes exactly the
characters Django's `escape` does) before it is placed; Django's own `format_html` would do the
same through its lazy-string machinery at several times the cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape as e
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from assistants.models import PROVIDER_LABELS, Assistant
from assistants.snapshot import LLM_KIND_DESCRIPTIONS, LLM_KIND_LABELS

ID_PLACEHOLDER = "__revox_id__"

DEFAULT = '<span class="text-secondary">Default</span>'
NONE = '<span class="text-secondary">—</span>'


def ago(value: datetime, now: datetime) -> str:
    """'just now', '5 minutes ago', '3 hours ago', '2 days ago', then the date."""
    seconds = (now - value).total_seconds()
    for limit, unit, size in (
        (3600, "minute", 60),
        (86400, "hour", 3600),
        (30 * 86400, "day", 86400),
    ):
        if seconds < limit:
            count = int(seconds // size)
            if count < 1:
                return "just now"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return timezone.localtime(value).strftime("%-d %b %Y")


def copy_id(value: str, *, of: str, text: str = "") -> str:
    """A small "copy id" control: the id goes to the clipboard (static/js/app.js) and the
    control says "Copied"; without JavaScript it opens to show the id, to select by hand.
    Its name starts with the visible "Copy id", as speech control users say what they see."""
    value = e(value)
    label = f'<span class="copy-id-text" data-copy-text>{e(text)}</span>'
    return (f'<details class="copy-id"><summary title="Copy the id: {value}" data-copy-id="{value}" '
            f'aria-label="Copy id of {e(of)}"><i class="bi bi-clipboard" aria-hidden="true"></i>'
            f'{label}</summary><code class="copy-id-value">{value}</code></details>')  # fmt: skip


def _kind(a: Assistant) -> str:
    """Multi-step flows stand out by the name; standalone, the usual kind, says nothing."""
    if a.assistant_type != "multi-step":
        return ""
    return (' <span class="badge badge-soft-secondary" title="A flow of steps, edited in Revox">'
            '<i class="bi bi-diagram-3" aria-hidden="true"></i> Multi-step</span>')  # fmt: skip


def _voice(a: Assistant) -> str:
    if not a.voice_provider:
        return DEFAULT
    label = PROVIDER_LABELS.get(a.voice_provider, a.voice_provider.capitalize())
    return (f'<div class="voice-name">{e(a.voice_name or a.voice_id)}</div>'
            f'<span class="badge badge-soft-secondary">{e(label)}</span>')  # fmt: skip


def _llm(a: Assistant) -> str:
    if not a.llm_kind:
        return DEFAULT
    # The model's name in full, wrapping at its slashes and dashes rather than cut mid-word.
    kind = LLM_KIND_LABELS.get(a.llm_kind, a.llm_kind)
    about = LLM_KIND_DESCRIPTIONS.get(a.llm_kind, "")
    return (
        f'<div class="model-name font-monospace-sm" title="{e(a.llm_model)}">{e(a.llm_model or "—")}</div>'
        f'<span class="badge badge-soft-primary" title="{e(f"{kind}: {about}" if about else kind)}">{e(kind)}</span>'
    )


def _pending(a: Assistant) -> str:
    count = a.pending_faq_count
    if not count:
        return NONE
    return (
        '<a class="badge rounded-pill text-bg-warning text-decoration-none" '
        f'href="/faq-review/?assistant={e(quote(a.revox_id, safe=""))}" '
        f'title="{count} answer{"" if count == 1 else "s"} waiting for review">{count}</a>'
    )


def _updated(a: Assistant, now: datetime) -> str:
    if a.remote_updated_at is None:
        return "—"
    local = timezone.localtime(a.remote_updated_at)
    return (f'<time datetime="{e(local.isoformat())}" title="{e(local.strftime("%-d %b %Y, %H:%M"))}">'
            f"{e(ago(a.remote_updated_at, now))}</time>")  # fmt: skip


def _tick(a: Assistant) -> str:
    """A row's box for "Change selected" (its form is outside the table: form=)."""
    return (
        '<td class="select-cell"><input class="form-check-input" type="checkbox" name="cs-ids" '
        f'value="{e(a.revox_id)}" form="change-selected" aria-label="Select {e(a.name)}"></td>'
    )


def list_rows(assistants: Iterable[Assistant], *, selectable: bool = False) -> list[SafeString]:
    detail = reverse("assistants:detail", args=[ID_PLACEHOLDER])
    now = timezone.now()
    return [
        SafeString(
            ("<tr>" + _tick(a) if selectable else "<tr>")
            + f'<td><a class="assistant-name" href="{e(detail.replace(ID_PLACEHOLDER, quote(a.revox_id, safe="")))}">'
            f"<bdi>{e(a.name)}</bdi></a>{copy_id(a.revox_id, of=a.name)}{_kind(a)}</td>"
            f"<td>{_voice(a)}</td><td>{_llm(a)}</td>"
            f'<td class="text-center">{_pending(a)}</td><td class="text-center">{int(a.faq_count)}</td>'
            f'<td class="text-nowrap">{_updated(a, now)}</td></tr>'
        )
        for a in assistants
    ]
