"""The official SDK's models (`revox` 0.5.0, generated from Revox's OpenAPI spec) as strict
validators of what goes over the wire.

Request bodies. The SDK's request types are TypedDicts, and a plain `TypeAdapter` over them
lets three kinds of wrong body through:
  (a) unknown keys: a TypedDict ignores keys it does not declare, at every level, unless told
      to forbid them;
  (b) lists typed `Iterable[...]`: pydantic validates them lazily (it hands back a generator),
      so nothing inside such a list is ever checked unless the list is made concrete;
  (c) aliases: `PropertyInfo(alias="voiceId")` is the SDK's own transform, not pydantic's, so
      the key on the wire (`voiceId`) is not the TypedDict's key (`voice_id`).
`wire_adapter(T)` rebuilds T for the wire: keys as sent (aliases applied), every list concrete,
extra keys forbidden and strict types, at every nesting level.

Answers. The SDK's response models are pydantic models that allow extra keys, so
`Model.model_validate(json, strict=True)` fails on a missing or mistyped field but not on a key
the SDK does not know. `validate_answer` also refuses those, at every level: the contract is
that the sandbox answers with what the SDK knows and nothing else (the older API's
`transfer_phone_number`, for one, is no longer Revox's).
"""

from __future__ import annotations

import collections.abc
import functools
import json
import types
import typing
from typing import Any, Literal, Union

import pydantic
import typing_extensions
from pydantic import ConfigDict, TypeAdapter
from revox._utils import PropertyInfo

REQUIRED_WRAPPERS = (typing.Required, typing.NotRequired)
LIST_ORIGINS = (list, collections.abc.Iterable, collections.abc.Sequence)


def _unwrap(hint: Any) -> tuple[Any, str | None]:
    """(the type inside Required/NotRequired/Annotated, the SDK alias if one is declared)."""
    if typing.get_origin(hint) in REQUIRED_WRAPPERS:
        hint = typing.get_args(hint)[0]
    alias = None
    if typing.get_origin(hint) is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        for item in metadata:
            if isinstance(item, PropertyInfo) and item.alias:
                alias = item.alias
        hint = base
    return hint, alias


def wire_type(hint: Any) -> Any:
    """`hint` as a strict wire validator: TypedDicts rebuilt, lists concrete."""
    hint, _ = _unwrap(hint)
    if typing_extensions.is_typeddict(hint):
        return _wire_typeddict(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        return Union[tuple(wire_type(arg) for arg in args)]  # noqa: UP007 (built at run time)
    if origin in LIST_ORIGINS:
        return list[wire_type(args[0])]
    if origin is Literal:
        return hint
    return hint


@functools.cache
def _wire_typeddict(cls: type) -> type:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = {}
    for name, hint in hints.items():
        inner, alias = _unwrap(hint)
        # Read from the hint itself: the SDK's modules use `from __future__ import annotations`,
        # so the class's own __required_keys__ cannot see its Required[...] markers.
        origin = typing.get_origin(hint)
        required = origin is typing.Required or (cls.__total__ and origin is not typing.NotRequired)
        wrapper = typing.Required if required else typing.NotRequired
        fields[alias or name] = wrapper[wire_type(inner)]
    wire = typing_extensions.TypedDict(f"{cls.__name__}OnTheWire", fields, total=False)
    wire.__pydantic_config__ = ConfigDict(extra="forbid", strict=True)
    return wire


@functools.cache
def wire_adapter(params_type: type) -> TypeAdapter:
    return TypeAdapter(wire_type(params_type))


def validate_body(params_type: type, body: Any) -> None:
    """Raise pydantic.ValidationError unless `body`, as JSON on the wire, is what the SDK's
    `params_type` allows."""
    wire_adapter(params_type).validate_json(json.dumps(body), strict=True)


# -- answers ----------------------------------------------------------------------------------


class UnknownKeys(AssertionError):
    pass


def _extras(value: Any, path: str) -> list[str]:
    found = []
    if isinstance(value, pydantic.BaseModel):
        for key in value.__pydantic_extra__ or {}:
            found.append(f"{path}.{key}".lstrip("."))
        for name in type(value).model_fields:
            found += _extras(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += _extras(item, f"{path}.{index}")
    return found


def validate_answer(model: type[pydantic.BaseModel], raw: Any) -> pydantic.BaseModel:
    """The raw JSON answer as the SDK's model, strictly: a missing or mistyped field raises
    pydantic.ValidationError, a key the SDK does not know raises UnknownKeys."""
    parsed = model.model_validate(raw, strict=True)
    unknown = _extras(parsed, "")
    if unknown:
        raise UnknownKeys(f"keys the SDK does not know: {unknown}")
    return parsed
