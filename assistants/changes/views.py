"""The change sets' pages: say a change for the assistants chosen on the list, its preview, its
contract page (/changes/<id>/) with each assistant's outcome, apply and roll back."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistants.changes import services
from assistants.changes.jobs import changeset_enqueue
from assistants.changes.models import ChangeSet, ChangeSetItem, ChangeSetPolicy
from assistants.changes.present import item_rows, look_first
from assistants.editors.groups import GROUPS
from assistants.fields import label_for
from assistants.models import Assistant
from assistants.team.roles import admin_required, can_edit, editor_required, viewer_required

# Our own inputs on the change page; everything else the page posts is the group's form.
OWN = (
    "csrfmiddlewaretoken", "cs-group", "cs-ids", "cs-all", "cs-touch", "cs-step",
    *(f"cs-{k}" for k in services.SELECTION_FILTERS),
)  # fmt: skip
NOTHING_CHOSEN = "Tick at least one assistant, or choose all those matching the search."
NOTHING_TOUCHED = "Tick at least one field to change: the others stay as each assistant has them."
NEEDS_APPROVAL = (
    "This change set needs a second person's approval first: ask a teammate (an Editor or an "
    "Admin) to open this page and approve it."
)
NOTHING_MATCHES = "No assistant matches this selection any more."


def _selection(source: QueryDict) -> dict[str, Any] | None:
    if source.get("cs-all") == "1":
        return services.selection_from_query(
            {k: source.get(f"cs-{k}", "").strip() for k in services.SELECTION_FILTERS}
        )
    ids = [i for i in source.getlist("cs-ids") if i.strip()]
    return services.selection_from_ids(ids) if ids else None


def _form_data(post: QueryDict) -> dict[str, list[str]]:
    return {key: post.getlist(key) for key in post if key not in OWN}


@require_http_methods(["GET", "POST"])
@editor_required
def change_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    selection = _selection(source)
    if selection is None:
        messages.error(request, NOTHING_CHOSEN)
        return redirect("assistants:list")
    chosen = services.selection_assistants(selection)
    if not chosen:
        messages.error(request, NOTHING_MATCHES)
        return redirect("assistants:list")
    previewing = request.method == "POST" and source.get("cs-step") == "preview"
    if source.get("cs-group") in OPERATION_PAGES:
        return _change_new_operation(
            request, selection, chosen, operation=source["cs-group"], previewing=previewing
        )
    groups = services.changeable_groups()
    group = GROUPS.get(source.get("cs-group", "llm"))
    if group is None or group not in groups:
        raise Http404("No such group")
    sample = chosen[0].data  # the form opens on the first one's values (and is checked on it)
    touched = services.touched_fields(group, source.getlist("cs-touch"))
    problems = []
    if previewing:
        form = group.bound_form(services.as_query_dict(_form_data(request.POST)), assistant=sample)
        if not touched:
            problems.append(NOTHING_TOUCHED)
        if form.is_valid() and not problems:
            form_data = _form_data(request.POST)
            change_set = services.changeset_create(
                user=request.user,
                group=group.slug,
                form_data=form_data,
                touched=touched,
                description=services.describe_change(group, form_data, touched),
                selection=selection,
            )
            return redirect("changes:detail", pk=change_set.pk)
    else:
        form = group.form_for(sample)
    return render(
        request,
        "changes/new.html",
        {
            **_new_page_context(selection, chosen, active=group.slug),
            "group": group,
            "form": form,
            "sample_name": chosen[0].name,
            "selection": selection,
            "field_choices": [(f, label_for(f), f in touched) for f in group.fields],
            "problems": problems,
        },
    )


def _new_page_context(
    selection: dict[str, Any], chosen: list[Assistant], *, active: str
) -> dict[str, Any]:
    """What every "new change set" page shows around its form (changes/new_base.html): the
    assistants chosen, the tabs with `active` the one shown, the selection carried unseen."""
    return {
        "active": active,
        "groups": services.changeable_groups(),
        "chosen": chosen[:8],
        "chosen_count": len(chosen),
        "selection_words": services.selection_words(selection),
        "selection_inputs": _selection_inputs(selection),
    }


class ReplaceForm(forms.Form):
    find = forms.CharField(label="Find", max_length=1000, strip=False)
    replace = forms.CharField(label="Replace with", max_length=5000, required=False, strip=False)
    match_case = forms.BooleanField(label="Match case", required=False)
    where = forms.MultipleChoiceField(
        label="In",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        choices=[(f, label_for(f)) for names in services.REPLACE_FIELDS.values() for f in names],
        error_messages={"required": "Choose where to look: the prompt, the first sentence…"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("where") and services.replace_group(data["where"]) is None:
            self.add_error(
                "where",
                "Choose fields of one kind at a time: the call's texts (prompt, sentences) or "
                "the messages' texts. Make a second change set for the others.",
            )
        if data.get("find") is not None and not data["find"].strip():
            self.add_error("find", "Type the text to find.")
        return data

    def change_set_fields(self) -> dict[str, Any]:
        """The set this valid form asks for (services.changeset_create's arguments)."""
        data = self.cleaned_data
        fields = list(data["where"])
        words = ", ".join(label_for(f).lower() for f in fields)
        return {
            "group": services.replace_group(fields),
            "form_data": {
                "find": [data["find"]],
                "replace": [data["replace"]],
                "match_case": ["1"] if data["match_case"] else [],
            },
            "touched": fields,
            "description": f"Replace “{data['find']}” with “{data['replace']}” in {words}",
        }


class FaqOperationForm(forms.Form):
    action = forms.ChoiceField(
        label="What to do",
        choices=list(services.FAQ_ACTIONS.items()),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    question = forms.CharField(label="Question", max_length=1000)
    answer = forms.CharField(
        label="Answer", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") in ("add", "answer") and not (data.get("answer") or "").strip():
            self.add_error("answer", "Type the answer the assistant should give.")
        return data

    def change_set_fields(self) -> dict[str, Any]:
        """The set this valid form asks for (services.changeset_create's arguments)."""
        data = self.cleaned_data
        verb = {"add": "Add", "answer": "Answer", "remove": "Remove"}[data["action"]]
        answer = f": “{data['answer']}”" if data["action"] != "remove" else ""
        return {
            "group": "faq",
            "form_data": {k: [data[k]] for k in ("action", "question", "answer")},
            "touched": ["faq_items"],
            "description": f"FAQ — {verb} “{data['question']}”{answer}",
        }


# The operations that are not a group's form: their form, what it opens with, their page.
OPERATION_PAGES: dict[str, tuple[type[ReplaceForm | FaqOperationForm], dict[str, Any], str]] = {
    services.REPLACE: (
        ReplaceForm,
        {"where": ["prompt", "first_sentence"]},
        "changes/replace.html",
    ),
    services.FAQ_OPS: (FaqOperationForm, {"action": "add"}, "changes/faq.html"),
}


def _change_new_operation(
    request: HttpRequest,
    selection: dict[str, Any],
    chosen: list[Assistant],
    *,
    operation: str,
    previewing: bool,
) -> HttpResponse:
    form_class, initial, template = OPERATION_PAGES[operation]
    if previewing:
        form = form_class(request.POST)
        if form.is_valid():
            change_set = services.changeset_create(
                user=request.user,
                operation=operation,
                selection=selection,
                **form.change_set_fields(),
            )
            return redirect("changes:detail", pk=change_set.pk)
    else:
        form = form_class(initial=initial)
    context = {**_new_page_context(selection, chosen, active=operation), "form": form}
    return render(request, template, context)


def _selection_inputs(selection: dict[str, Any]) -> list[tuple[str, str]]:
    if "query" in selection:
        return [("cs-all", "1")] + [(f"cs-{k}", v) for k, v in selection["query"].items()]
    return [("cs-ids", i) for i in selection["ids"]]


@require_GET
@viewer_required
def changes_list(request: HttpRequest) -> HttpResponse:
    sets = ChangeSet.objects.all()[:200]
    return render(request, "changes/list.html", {"change_sets": sets})


def _detail_context(request: HttpRequest, change_set: ChangeSet) -> dict[str, Any]:
    items = list(change_set.items.select_related("history", "rollback_history"))
    counts: dict[str, int] = {}
    for item in items:
        key = item.outcome or f"preview-{item.preview}"
        counts[key] = counts.get(key, 0) + 1
    busy = change_set.status in (ChangeSet.Status.APPLYING, ChangeSet.Status.ROLLING_BACK)
    to_change = sum(1 for i in items if i.preview == ChangeSetItem.Preview.CHANGE)
    look = sum(1 for i in items if look_first(i))
    return {
        "change_set": change_set,
        "group": GROUPS.get(change_set.group),
        "rows": item_rows(
            items,
            group=change_set.group,
            whole=set(change_set.touched) == set(GROUPS[change_set.group].fields),
        ),
        "total": len(items),
        "to_change": to_change,
        "look": look,
        "plain_change": to_change - look,
        "already": sum(1 for i in items if i.preview == ChangeSetItem.Preview.ALREADY),
        "cannot": sum(1 for i in items if i.preview == ChangeSetItem.Preview.CANNOT),
        "counts": counts,
        "done": sum(1 for i in items if i.outcome),
        "failed": sum(1 for i in items if i.outcome == ChangeSetItem.Outcome.FAILED),
        "rollback_failed": sum(1 for i in items if i.rollback == ChangeSetItem.Rollback.FAILED),
        "changed": sum(1 for i in items if i.outcome == ChangeSetItem.Outcome.CHANGED),
        "matches": sum(i.matches for i in items),
        "busy": busy,
        "selection_words": services.selection_words(change_set.selection),
        "is_query": "query" in change_set.selection,
        "can_act": can_edit(request.user),
        "job": services.last_job(change_set),
        "touched_labels": [label_for(f) for f in change_set.touched],
        "needs_approval": change_set.status == ChangeSet.Status.DRAFT
        and services.approval_needed(change_set),
        "may_approve": can_edit(request.user) and request.user.pk != change_set.created_by_id,
    }


@require_GET
@viewer_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change_set = get_object_or_404(ChangeSet, pk=pk)
    context = _detail_context(request, change_set)
    if request.htmx and request.htmx.target == "change-body":
        return render(request, "changes/detail.html#body", context)
    return render(request, "changes/detail.html", context)


@require_POST
@editor_required
def change_preview_again(request: HttpRequest, pk: int) -> HttpResponse:
    change_set = get_object_or_404(ChangeSet, pk=pk)
    if change_set.status == ChangeSet.Status.DRAFT:
        services.changeset_preview(change_set)
        messages.success(request, "Preview computed again from the local copy.")
    return redirect("changes:detail", pk=pk)


@require_POST
@editor_required
def change_apply(request: HttpRequest, pk: int) -> HttpResponse:
    change_set = get_object_or_404(ChangeSet, pk=pk)
    resumable = change_set.status == ChangeSet.Status.APPLIED and change_set.items.filter(
        outcome=ChangeSetItem.Outcome.FAILED
    )
    if change_set.status != ChangeSet.Status.DRAFT and not resumable:
        messages.info(request, "This change set has already been applied.")
        return redirect("changes:detail", pk=pk)
    if change_set.status == ChangeSet.Status.DRAFT and services.approval_needed(change_set):
        messages.error(request, NEEDS_APPROVAL)
        return redirect("changes:detail", pk=pk)
    changeset_enqueue(change_set, action="apply", user=request.user)
    return redirect("changes:detail", pk=pk)


@require_POST
@editor_required
def change_approve(request: HttpRequest, pk: int) -> HttpResponse:
    change_set = get_object_or_404(ChangeSet, pk=pk)
    if change_set.status != ChangeSet.Status.DRAFT:
        return redirect("changes:detail", pk=pk)
    try:
        services.changeset_approve(change_set, user=request.user)
    except PermissionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Approved: it may be applied now.")
    return redirect("changes:detail", pk=pk)


class PolicyForm(forms.Form):
    approval_over = forms.IntegerField(
        label="Ask a second person to approve change sets over",
        required=False,
        min_value=1,
        max_value=100000,
        help_text="A number of assistants. Leave empty: no approval is asked.",
    )


@require_http_methods(["GET", "POST"])
@admin_required
def changes_policy(request: HttpRequest) -> HttpResponse:
    policy = ChangeSetPolicy.current()
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            policy.approval_over = form.cleaned_data["approval_over"]
            policy.save()
            messages.success(request, "Saved.")
            return redirect("changes:policy")
    else:
        form = PolicyForm(initial={"approval_over": policy.approval_over})
    return render(request, "changes/policy.html", {"form": form})


@require_POST
@editor_required
def change_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    change_set = get_object_or_404(ChangeSet, pk=pk)
    if change_set.status not in (ChangeSet.Status.APPLIED, ChangeSet.Status.ROLLED_BACK):
        messages.info(request, "Only an applied change set can be rolled back.")
        return redirect("changes:detail", pk=pk)
    if not services.rollback_todo(change_set).exists():
        messages.info(request, "Nothing left to roll back.")
        return redirect("changes:detail", pk=pk)
    changeset_enqueue(change_set, action="rollback", user=request.user)
    return redirect("changes:detail", pk=pk)


def change_new_url(selection: dict[str, Any], group: str = "llm") -> str:
    return (
        reverse("changes:new")
        + "?"
        + urlencode([*_selection_inputs(selection), ("cs-group", group)])
    )
