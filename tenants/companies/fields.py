"""Company field rules: domain normalization, size bands, and cleaning of company input."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from babel.support import LazyProxy

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.contacts.addresses import clean_address, is_blank
from sampark.tenants.contacts.validation import optional_id

# En dashes on purpose: they are the typographically right range sign in the labels people read.
SIZES: Mapping[str, LazyProxy] = {
    "1-10": lazy_gettext("1–10 people"),  # noqa: RUF001
    "11-50": lazy_gettext("11–50 people"),  # noqa: RUF001
    "51-200": lazy_gettext("51–200 people"),  # noqa: RUF001
    "201-500": lazy_gettext("201–500 people"),  # noqa: RUF001
    "501-1000": lazy_gettext("501–1,000 people"),  # noqa: RUF001
    "1001-5000": lazy_gettext("1,001–5,000 people"),  # noqa: RUF001
    "5001+": lazy_gettext("More than 5,000 people"),
}
WRITABLE = ("name", "domain", "industry", "size", "address", "parent_id", "owner_id")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def size_label(size: str) -> str:
    return str(SIZES.get(size, size))


def normalize_domain(text: str) -> str:
    """The form a domain is stored and compared in: lower case, no scheme, path, port, ``www.`` or final dot.

    ``https://www.Example.com/about`` and ``example.com`` are the same company domain.
    """
    domain = text.strip().lower()
    domain = _SCHEME.sub("", domain)
    domain = domain.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    domain = domain.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return domain.removeprefix("www.")


def domain_problem(domain: str) -> str | None:
    """Why a normalized domain is not a usable host name (translated), or None."""
    invalid = _("Enter a domain like example.com.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return invalid
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return invalid
    return None if all(_LABEL.match(label) for label in labels) else invalid


def clean_company(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Cleaned values for the writable fields present in ``data``, and the problems found."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = " ".join(str(data["name"] or "").split())
        if not clean["name"]:
            errors["name"] = _("Enter the company's name.")
        elif len(clean["name"]) > 200:
            errors["name"] = _("Use at most %(limit)d characters.", limit=200)
    if "domain" in data:
        clean["domain"] = normalize_domain(str(data["domain"] or ""))
        problem = domain_problem(clean["domain"]) if clean["domain"] else None
        if problem:
            errors["domain"] = problem
    if "industry" in data:
        clean["industry"] = " ".join(str(data["industry"] or "").split())
        if len(clean["industry"]) > 100:
            errors["industry"] = _("Use at most %(limit)d characters.", limit=100)
    if "size" in data:
        clean["size"] = str(data["size"] or "").strip()
        if clean["size"] and clean["size"] not in SIZES:
            errors["size"] = _("Choose a size from the list.")
    if "address" in data:
        raw = data["address"] or {}
        if isinstance(raw, Mapping):
            address = clean_address(raw, "address", errors)
            clean["address"] = {} if is_blank(address) else address
        else:
            errors["address"] = _("An address is a set of fields.")
    for name in ("parent_id", "owner_id"):
        if name in data:
            clean[name] = optional_id(data[name], name, errors)
    return clean, errors
