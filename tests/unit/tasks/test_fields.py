"""Due times are read on the acting user's wall clock, including around daylight-saving changes."""

from datetime import UTC, date, datetime, time

from sampark.tenants.tasks.fields import clean_task, local_to_utc, remind_at


def test_local_time_becomes_utc_in_the_users_zone() -> None:
    clean, errors = clean_task({"due_date": "2026-07-01", "due_time": "09:30"}, "Asia/Kolkata")
    assert errors == {}
    assert clean["due_at"] == datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
    assert clean["all_day"] is False


def test_skipped_hour_is_refused_and_repeated_hour_takes_the_first() -> None:
    # 2026-03-08 02:30 does not exist in Los Angeles (clocks jump from 02:00 to 03:00).
    _clean, errors = clean_task({"due_date": "2026-03-08", "due_time": "02:30"}, "America/Los_Angeles")
    assert "due_time" in errors
    assert local_to_utc(date(2026, 11, 1), time(1, 30), "America/Los_Angeles") == datetime(
        2026, 11, 1, 8, 30, tzinfo=UTC
    )  # 01:30 PDT, the first of the two


def test_date_alone_is_all_day_and_bad_input_is_reported() -> None:
    clean, errors = clean_task({"due_date": "2026-05-04", "due_time": ""}, "Europe/Berlin")
    assert clean["all_day"] is True and clean["due_date"] == date(2026, 5, 4)
    assert clean["due_at"] == datetime(2026, 5, 3, 22, 0, tzinfo=UTC)
    _, errors = clean_task(
        {"title": "", "due_date": "31/12/2026", "priority": "meh", "reminder": "2w"}, "UTC"
    )
    assert set(errors) == {"title", "due_date", "priority", "reminder"}


def test_api_due_at_with_and_without_offset() -> None:
    clean, _ = clean_task({"due_at": "2026-01-10T10:00:00+01:00"}, "Asia/Tokyo")
    assert clean["due_at"] == datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    clean, _ = clean_task({"due_at": "2026-01-10T10:00"}, "Asia/Tokyo")
    assert clean["due_at"] == datetime(2026, 1, 10, 1, 0, tzinfo=UTC)
    assert remind_at(clean["due_at"], "15m") == datetime(2026, 1, 10, 0, 45, tzinfo=UTC)
    assert remind_at(clean["due_at"], "none") is None
