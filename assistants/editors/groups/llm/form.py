"""Language model: the tagged union `llm_model`, one of four kinds.

Only the chosen kind's fields are read and checked; the PATCH carries exactly that member's
keys. The custom endpoint's API key is write-only: it is never put into the page, and a blank
"Replace key" box keeps the key Revox holds.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from assistants.editors.forms.base import GroupForm, TextField, stored_if_same
from assistants.snapshot import LLM_KIND_DESCRIPTIONS

KINDS = [
    ("dedicated-instance", "Dedicated"),
    ("openrouter", "OpenRouter"),
    ("custom", "Custom endpoint"),
    ("realtime", "Realtime"),
]
DEDICATED_MODELS = [
    ("gpt-4.1", "GPT-4.1"),
    ("ministral-3-8b-instruct", "Ministral 3 8B Instruct"),
]
REALTIME_PROVIDERS = [("openai", "OpenAI"), ("google", "Google")]
MEMBER_KEYS = {
    "dedicated-instance": ("name",),
    "openrouter": ("openrouter_model_id", "openrouter_provider"),
    "custom": ("api_url", "api_key", "model_name"),
    "realtime": ("provider", "realtime_model_id", "realtime_voice_id"),
}
# vendor/model, as OpenRouter names them: "openai/gpt-4.1", "meta-llama/llama-3.3-70b:free".
OPENROUTER_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.:+-]*$")

KIND_REQUIRED = "Choose which kind of model the assistant uses."
OPENROUTER_ID_REQUIRED = "Type the OpenRouter model id, like openai/gpt-4.1."
OPENROUTER_ID_SHAPE = (
    "Write the model id as vendor/model, exactly as OpenRouter lists it (e.g. openai/gpt-4.1)."
)
OPENROUTER_PROVIDER_REQUIRED = "Name the OpenRouter provider to use, like openai, azure or nebius."
API_URL_REQUIRED = (
    "Type the address of the OpenAI-compatible API, like https://api.together.xyz/v1."
)
API_URL_SHAPE = "Enter a web address starting with https:// (or http://)."
API_KEY_REQUIRED = "Type the API key for this endpoint: Revox sends it with every request."
MODEL_NAME_REQUIRED = "Type the model name the endpoint expects, like meta-llama/llama-3-70b."
REALTIME_MODEL_REQUIRED = "Type the realtime model id, like gpt-realtime."
REALTIME_PROVIDER_REQUIRED = "Choose OpenAI or Google."
SAVED_KEY_LABEL = "•••••• (saved)"


def _llm(data: dict[str, Any]) -> dict[str, Any]:
    value = data.get("llm_model")
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _with_stored(choices: list[tuple[str, str]], stored: Any) -> list[tuple[str, str]]:
    """A value a newer Revox added stays selectable, so an untouched save keeps it."""
    if isinstance(stored, str) and stored and stored not in dict(choices):
        return [*choices, (stored, stored)]
    return choices


class LlmForm(GroupForm):
    field_map = {
        "llm_model": "kind",
        "llm_model.type": "kind",
        "llm_model.name": "dedicated_model",
        "llm_model.openrouter_model_id": "openrouter_model_id",
        "llm_model.openrouter_provider": "openrouter_provider",
        "llm_model.api_url": "api_url",
        "llm_model.api_key": "api_key",
        "llm_model.model_name": "model_name",
        "llm_model.provider": "realtime_provider",
        "llm_model.realtime_model_id": "realtime_model_id",
        "llm_model.realtime_voice_id": "realtime_voice_id",
    }

    kind_descriptions = LLM_KIND_DESCRIPTIONS  # one line per kind, as the list explains them

    # Every kind's fields are optional here: clean() checks the chosen kind's only, because
    # without JavaScript all four sections show and the others may hold anything.
    kind = forms.ChoiceField(
        label="Kind of model",
        choices=KINDS,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
    )
    dedicated_model = forms.ChoiceField(label="Model", choices=DEDICATED_MODELS, required=False)
    openrouter_model_id = TextField(
        label="Model id",
        required=False,
        max_length=200,
        help_text="As OpenRouter lists it: vendor/model.",
        widget=forms.TextInput(attrs={"placeholder": "openai/gpt-4.1", "spellcheck": "false"}),
    )
    openrouter_provider = TextField(
        label="Provider",
        required=False,
        max_length=100,
        help_text="Which OpenRouter provider serves the model (e.g. openai, azure, nebius).",
        widget=forms.TextInput(attrs={"placeholder": "openai", "spellcheck": "false"}),
    )
    api_url = TextField(
        label="API URL",
        required=False,
        max_length=2000,
        help_text="The base URL of an OpenAI-compatible chat completions API.",
        widget=forms.URLInput(attrs={"placeholder": "https://api.together.xyz/v1"}),
    )
    # render_value=False: the key never goes back into the page, not even after an error.
    api_key = forms.CharField(
        label="API key",
        required=False,
        strip=False,
        max_length=1000,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password", "spellcheck": "false"}
        ),
    )
    model_name = TextField(
        label="Model name",
        required=False,
        max_length=200,
        help_text="As the endpoint expects it.",
        widget=forms.TextInput(
            attrs={"placeholder": "meta-llama/llama-3-70b", "spellcheck": "false"}
        ),
    )
    realtime_provider = forms.ChoiceField(
        label="Provider", choices=REALTIME_PROVIDERS, required=False
    )
    realtime_model_id = TextField(
        label="Model id",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "gpt-realtime", "spellcheck": "false"}),
    )
    realtime_voice_id = TextField(
        label="Voice",
        required=False,
        max_length=200,
        help_text="Optional: the provider's voice (OpenAI: marin; Google: Puck). "
        "Empty: the provider's default.",
        widget=forms.TextInput(attrs={"placeholder": "marin", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = _llm(self.assistant)
        self.fields["dedicated_model"].choices = _with_stored(DEDICATED_MODELS, stored.get("name"))
        self.fields["realtime_provider"].choices = _with_stored(
            REALTIME_PROVIDERS, stored.get("provider") if stored.get("type") == "realtime" else None
        )
        key_label = "Replace key" if self.has_saved_key else "API key"
        self.fields["api_key"].label = key_label
        self.fields["api_key"].help_text = (
            "Leave empty to keep the saved key. It is never shown again once saved."
            if self.has_saved_key
            else "Sent to your endpoint as a Bearer token. It is never shown again once saved."
        )

    # -- reading Revox's JSON -----------------------------------------------------------------

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        llm = _llm(data)
        kind = llm.get("type") if llm.get("type") in MEMBER_KEYS else ""
        initial = {
            "kind": kind,
            "dedicated_model": "gpt-4.1",
            "realtime_provider": "openai",
        }
        if kind == "dedicated-instance":
            initial["dedicated_model"] = _text(llm.get("name")) or "gpt-4.1"
        elif kind == "openrouter":
            initial["openrouter_model_id"] = _text(llm.get("openrouter_model_id"))
            initial["openrouter_provider"] = _text(llm.get("openrouter_provider"))
        elif kind == "custom":
            # Never the api_key: the page must not carry it.
            initial["api_url"] = _text(llm.get("api_url"))
            initial["model_name"] = _text(llm.get("model_name"))
        elif kind == "realtime":
            initial["realtime_provider"] = _text(llm.get("provider")) or "openai"
            initial["realtime_model_id"] = _text(llm.get("realtime_model_id"))
            initial["realtime_voice_id"] = _text(llm.get("realtime_voice_id"))
        return initial

    # -- what the template shows ----------------------------------------------------------------

    @property
    def stored_kind(self) -> str:
        return _text(_llm(self.assistant).get("type"))

    @property
    def has_saved_key(self) -> bool:
        llm = _llm(self.assistant)
        return llm.get("type") == "custom" and bool(_text(llm.get("api_key")))

    @property
    def saved_key_label(self) -> str:
        return SAVED_KEY_LABEL

    @property
    def unknown_kind(self) -> str:
        """A kind this dashboard does not know (a newer API): kept as it is unless replaced."""
        kind = self.stored_kind
        return kind if kind and kind not in MEMBER_KEYS else ""

    # -- validation -----------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            # Only an assistant without a (known) model may stay that way: Revox keeps its own.
            if self.stored_kind in MEMBER_KEYS and "kind" not in self.errors:
                self.add_error("kind", KIND_REQUIRED)
            return data
        check = getattr(self, f"_clean_{kind.replace('-', '_')}")
        check(data)
        return data

    def _clean_dedicated_instance(self, data: dict[str, Any]) -> None:
        if not data.get("dedicated_model"):
            self.add_error("dedicated_model", "Choose the model.")

    def _clean_openrouter(self, data: dict[str, Any]) -> None:
        model_id = (data.get("openrouter_model_id") or "").strip()
        stored = _llm(self.assistant)
        if self.left_blank("openrouter_model_id"):
            self.add_error("openrouter_model_id", OPENROUTER_ID_REQUIRED)
        elif (
            model_id
            and not OPENROUTER_ID_RE.match(model_id)
            and not (
                stored.get("type") == "openrouter" and stored.get("openrouter_model_id") == model_id
            )
        ):
            # An id Revox already holds is never refused here, so an untouched save works.
            self.add_error("openrouter_model_id", OPENROUTER_ID_SHAPE)
        if self.left_blank("openrouter_provider"):
            self.add_error("openrouter_provider", OPENROUTER_PROVIDER_REQUIRED)

    def _clean_custom(self, data: dict[str, Any]) -> None:
        url = (data.get("api_url") or "").strip()
        if self.left_blank("api_url"):
            self.add_error("api_url", API_URL_REQUIRED)
        elif url:
            try:
                forms.URLField(assume_scheme="https").clean(url)
            except forms.ValidationError:
                self.add_error("api_url", API_URL_SHAPE)
            else:
                if not url.lower().startswith(("http://", "https://")):
                    self.add_error("api_url", API_URL_SHAPE)
        if self.left_blank("model_name"):
            self.add_error("model_name", MODEL_NAME_REQUIRED)
        if self.left_blank("api_key") and not self.has_saved_key:
            # Switching to a custom endpoint: there is no key to keep.
            self.add_error("api_key", API_KEY_REQUIRED)

    def _clean_realtime(self, data: dict[str, Any]) -> None:
        if not data.get("realtime_provider"):
            self.add_error("realtime_provider", REALTIME_PROVIDER_REQUIRED)
        if self.left_blank("realtime_model_id"):
            self.add_error("realtime_model_id", REALTIME_MODEL_REQUIRED)

    # -- the PATCH ------------------------------------------------------------------------------

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        # `.get` throughout: the conflict page builds "yours" from a form that may have turned
        # invalid against the newer version (e.g. the saved key it relied on is gone).
        data = self.cleaned_data
        kind = data.get("kind")
        if not kind:
            return {}  # no opinion: Revox keeps what it has (nothing, or a kind we don't know)
        stored = _llm(current)
        if kind == "dedicated-instance":
            member = {"name": data.get("dedicated_model") or ""}
        elif kind == "openrouter":
            member = {
                "openrouter_model_id": (data.get("openrouter_model_id") or "").strip(),
                "openrouter_provider": (data.get("openrouter_provider") or "").strip(),
            }
        elif kind == "custom":
            member = {
                "api_url": (data.get("api_url") or "").strip(),
                "model_name": (data.get("model_name") or "").strip(),
            }
            key = data.get("api_key") or ""
            if key.strip():
                member["api_key"] = key.strip()
            elif stored.get("type") == "custom" and "api_key" in stored:
                # Blank "Replace key": keep the key Revox holds right now.
                member["api_key"] = stored["api_key"]
        else:
            member = {
                "provider": data.get("realtime_provider") or "",
                "realtime_model_id": (data.get("realtime_model_id") or "").strip(),
            }
            voice_id = (data.get("realtime_voice_id") or "").strip()
            if voice_id:
                member["realtime_voice_id"] = voice_id
            elif stored.get("type") == "realtime" and stored.get("realtime_voice_id", ...) == "":
                # "No voice" spelled as Revox holds it stays so. (Revox may answer null, but a
                # client may not send it: the key is then left out, which means the same.)
                member["realtime_voice_id"] = stored["realtime_voice_id"]
        llm = {"type": kind, **member}
        if stored.get("type") == kind:
            # Keys a newer API added to this kind stay as they are.
            known = {"type", *MEMBER_KEYS[kind]}
            llm = {**{k: v for k, v in stored.items() if k not in known}, **llm}
            # Text shown trimmed keeps its stored spelling when the meaning is the same.
            for key, value in llm.items():
                was = stored.get(key)
                if isinstance(value, str) and isinstance(was, str) and was.strip() == value:
                    llm[key] = was
        return {"llm_model": stored_if_same(llm, current.get("llm_model"))}
