"""Read an HTML form's fields the way a browser would submit them, so a test can resubmit a page's form.

Only what the app's forms use: ``input`` (text-like, hidden, checked checkboxes and radios), ``select`` (the
selected option, else the first) and ``textarea``. File inputs and buttons are left out.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_suffix: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action_suffix = action_suffix
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form" and not self.done:
            action = attr.get("action", "")
            self.inside = action.split("?")[0].endswith(self.action_suffix)
            return
        if not self.inside:
            return
        name = attr.get("name")
        if tag == "input" and name:
            kind = attr.get("type", "text").lower()
            if kind in {"file", "submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attr:
                return
            self.fields[name] = attr.get("value", "on" if kind in {"checkbox", "radio"} else "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = attr.get("value", "")
            if self._select_first is None:
                self._select_first = value
                self.fields.setdefault(self._select, value)
            if "selected" in attr:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action_suffix: str) -> dict[str, str]:
    """The fields of the first form whose action path ends with ``action_suffix``, as a browser would send them.

    Raises:
        AssertionError: no such form on the page.
    """
    reader = _FormReader(action_suffix)
    reader.feed(html)
    assert reader.done or reader.fields, f"no form posting to …{action_suffix}"
    return reader.fields
