"""The request a custom tool would send: its {{placeholders}}, filled with sample values for
"Preview request", and the JSON body's problems in plain words. Pure functions: no form, no
network; forms/tools.py shows what they compute."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from assistants.editors.forms.common import PLACEHOLDER_RE

BODY_INVALID = "The body isn't valid JSON: {problem} (line {line}, column {column})."
BODY_PLACEHOLDER_HINT = ' Put each placeholder inside quotes, like "{{{{{name}}}}}".'


@dataclass
class RequestPreview:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: str | None
    missing: list[str] = field(default_factory=list)  # placeholders left unfilled

    @property
    def text(self) -> str:
        lines = [f"{self.method} {self.url}", *(f"{key}: {value}" for key, value in self.headers)]
        if self.body is not None:
            lines += ["", self.body]
        return "\n".join(lines)


def placeholders(text: str) -> list[str]:
    """The variable names used in `text`, in order of first use."""
    names: list[str] = []
    for match in PLACEHOLDER_RE.finditer(text or ""):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def _fill(template: str, values: dict[str, str], encode, missing: list[str], *,
          encode_text: bool = False) -> str:  # fmt: skip
    """Replace each {{name}} by encode(value); a name without a value stays as written (and is
    noted in `missing`). With encode_text, the text around placeholders is encoded too."""
    out, last = [], 0
    for match in PLACEHOLDER_RE.finditer(template):
        text = template[last : match.start()]
        out.append(encode(text) if encode_text else text)
        name = match.group(1)
        if values.get(name, "") != "":
            out.append(encode(values[name]))
        else:
            out.append(match.group(0))
            if name not in missing:
                missing.append(name)
        last = match.end()
    tail = template[last:]
    out.append(encode(tail) if encode_text else tail)
    return "".join(out)


def request_preview(tool: dict[str, Any], values: dict[str, str]) -> RequestPreview:
    """The HTTP request `tool` (API shape) sends when its parameters hold `values`.

    Values are URL-encoded in the URL and the query string, inserted as they are in headers,
    and JSON-escaped in the body (where placeholders sit inside quoted strings). A placeholder
    with no value (or an empty one) is left as written and listed in `missing`."""
    missing: list[str] = []

    def url_part(text: str) -> str:
        return quote(text, safe="")

    url = _fill(tool.get("url") or "", values, url_part, missing)
    query = [
        _fill(p.get("key") or "", values, url_part, missing, encode_text=True) + "="
        + _fill(p.get("value") or "", values, url_part, missing, encode_text=True)
        for p in tool.get("query_params") or []
    ]  # fmt: skip
    if query:
        url += ("&" if "?" in url else "?") + "&".join(query)
    headers = [
        (
            _fill(h.get("key") or "", values, str, missing),
            _fill(h.get("value") or "", values, str, missing),
        )
        for h in tool.get("headers") or []
    ]
    body = tool.get("body_template")
    if body is not None and body.strip():
        body = _fill(body, values, lambda v: json.dumps(v, ensure_ascii=False)[1:-1], missing)
    else:
        body = None
    return RequestPreview(method=tool.get("method") or "GET", url=url, headers=headers, body=body,
                          missing=missing)  # fmt: skip


def undeclared_variables(tool: dict[str, Any]) -> list[str]:
    """Placeholders the tool uses that no input parameter declares."""
    declared = {row.get("name") for row in tool.get("input_schema") or []}
    texts = [tool.get("url") or ""]
    for pair in (tool.get("headers") or []) + (tool.get("query_params") or []):
        texts += [pair.get("key") or "", pair.get("value") or ""]
    texts.append(tool.get("body_template") or "")
    used: list[str] = []
    for text in texts:
        used += [name for name in placeholders(text) if name not in used]
    return [name for name in used if name not in declared]


def body_problem(body: str) -> str | None:
    """Why the body template is not JSON (with line and column), or None when it is."""
    try:
        json.loads(body)
    except json.JSONDecodeError as err:
        problem = err.msg[0].lower() + err.msg[1:]
        message = BODY_INVALID.format(problem=problem, line=err.lineno, column=err.colno)
        # The usual mistake: a placeholder written bare, {"guests": {{party_size}}}.
        nearby = PLACEHOLDER_RE.search(body, max(err.pos - 2, 0))
        if nearby and nearby.start() <= err.pos + 1:
            message += BODY_PLACEHOLDER_HINT.format(name=nearby.group(1))
        return message
    return None
