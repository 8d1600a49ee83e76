"""Submit a rendered form the way a browser would, from a test client response.

`form_fields(html, form_id)` returns the fields a browser sends for an untouched form: enabled
inputs (checked boxes and radios only), textareas (with the browser's CRLF line ends), selected
options. Disabled controls, and controls inside a disabled fieldset, are left out, as browsers
do; a control elsewhere whose `form` attribute names the form is sent with it.
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.utils.datastructures import MultiValueDict


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.disabled_depth = 0
        self.fieldset_stack: list[bool] = []
        self.fields: list[tuple[str, str]] = []
        self.textarea: tuple[str, list[str]] | None = None
        self.select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self.option: tuple[str | None, bool, list[str]] | None = None
        self.found = False

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            if self.form_id is None or attrs.get("id") == self.form_id:
                self.in_form = self.found = True
            return
        # A control outside the form that names it in its `form` attribute is sent with it.
        owner = attrs.get("form")
        if not self.in_form and not (owner and owner == self.form_id):
            return
        if self.in_form and owner and owner != self.form_id:
            return
        disabled = "disabled" in attrs or bool(self.disabled_depth)
        if tag == "fieldset":
            self.fieldset_stack.append("disabled" in attrs)
            if "disabled" in attrs:
                self.disabled_depth += 1
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            name = attrs.get("name")
            if not name or disabled or kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = (
                (attrs.get("name", ""), []) if attrs.get("name") and not disabled else None
            )
            if self.textarea is None:
                self.textarea = ("", [])
        elif tag == "select":
            name = attrs.get("name", "")
            self.select = (name if not disabled else "", "multiple" in attrs, [])
        elif tag == "option" and self.select is not None:
            self.option = (attrs.get("value"), "selected" in attrs, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form = False
        if not self.in_form:
            return
        if tag == "fieldset" and self.fieldset_stack:
            if self.fieldset_stack.pop():
                self.disabled_depth -= 1
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            if text.startswith("\n"):
                text = text[1:]  # HTML drops one newline right after <textarea>
            if name:
                self.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self.textarea = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value, selected, parts = self.option
            self.select[2].append(
                (value if value is not None else "".join(parts).strip(), selected)
            )
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            if name and options:
                chosen = [v for v, s in options if s] or ([] if multiple else [options[0][0]])
                self.fields.extend((name, v) for v in (chosen if multiple else chosen[:1]))
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option[2].append(data)


def form_fields(html: str | bytes, form_id: str | None = "group-form") -> MultiValueDict:
    if isinstance(html, bytes):
        html = html.decode()
    parser = _FormParser(form_id)
    parser.feed(html)
    assert parser.found, f"no form #{form_id} in the page"
    data = MultiValueDict()
    for name, value in parser.fields:
        data.appendlist(name, value)
    return data


def as_post(data: MultiValueDict, **changes) -> dict[str, list[str]]:
    """The form data as a dict for the test client, with some fields changed."""
    post = {key: data.getlist(key) for key in data}
    for key, value in changes.items():
        post[key] = value if isinstance(value, list) else [value]
    return post
