"""A user's own language and time zone (``public.users``): read once per session, saved by the switcher."""

from __future__ import annotations

from dataclasses import dataclass

from sampark.platform.i18n.context import valid_time_zone
from sampark.platform.i18n.negotiation import normalize_locale
from sampark.platform.identity.tables import User


class PreferenceError(ValueError):
    """The value is not one Sampark can use (an unshipped language, an unknown time zone)."""


@dataclass(frozen=True)
class UserPreferences:
    """What the user chose; "" means "not chosen, use the team's or tenant's default"."""

    locale: str = ""
    time_zone: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"locale": self.locale, "time_zone": self.time_zone}


async def get_user_preferences(user_id: int) -> UserPreferences:
    """The user's saved choices; empty for an unknown user. Must run outside a tenant's role (public table)."""
    row = await User.select(User.locale, User.time_zone).where(User.id == user_id).first()
    if row is None:
        return UserPreferences()
    return UserPreferences(locale=normalize_locale(row["locale"]) or "", time_zone=row["time_zone"] or "")


async def set_user_locale(user_id: int, locale: str) -> str:
    """Save the user's language; returns the shipped locale id it was normalized to ("" clears the choice).

    Raises:
        PreferenceError: ``locale`` is not a shipped language.
    """
    value = ""
    if locale:
        value = normalize_locale(locale) or ""
        if not value:
            raise PreferenceError(locale)
    await User.update({User.locale: value}).where(User.id == user_id)
    return value


async def set_user_time_zone(user_id: int, time_zone: str) -> str:
    """Save the user's time zone ("" clears it).

    Raises:
        PreferenceError: ``time_zone`` is not an IANA zone this machine knows.
    """
    if time_zone and not valid_time_zone(time_zone):
        raise PreferenceError(time_zone)
    await User.update({User.time_zone: time_zone}).where(User.id == user_id)
    return time_zone
