"""Secrets never reach a log line."""

import io
import json
import logging
import sys

import structlog
import structlog.testing

from sampark.platform.logging import configure_logging, redact_secrets, redact_value


def test_secret_keys_and_url_credentials_are_redacted() -> None:
    event = redact_secrets(
        None,
        "info",
        {
            "event": "connect",
            "password": "hunter2",
            "csrf_token": "abc",
            "Authorization": "Bearer x",
            "url": "postgresql://app:s3cret@db:5432/sampark",
            "user": "priya",
        },
    )
    assert event["password"] == event["csrf_token"] == event["Authorization"] == "[redacted]"
    assert event["url"] == "postgresql://app:[redacted]@db:5432/sampark"
    assert event["user"] == "priya"
    assert redact_value("redis://:pw@cache:6379") == "redis://:[redacted]@cache:6379"


def test_configured_logger_writes_json_without_the_secret(capsys) -> None:
    configure_logging("INFO")
    structlog.get_logger("test").info("login.failed", email="a@example.com", password="hunter2")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["event"] == "login.failed" and line["password"] == "[redacted]"
    assert "hunter2" not in json.dumps(line)


def test_log_lines_follow_the_current_stderr(monkeypatch) -> None:
    configure_logging("INFO")
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    structlog.get_logger("test").info("first.line")
    first.close()  # what a test runner does to its capture when the test ends
    monkeypatch.setattr(sys, "stderr", second)
    structlog.get_logger("test").info("second.line")
    assert json.loads(second.getvalue().strip())["event"] == "second.line"


def test_libraries_that_log_content_stay_above_debug() -> None:
    """The embedded mail sink logs every mail line (reset and invitation links) and httpcore whole response
    headers at DEBUG: even a DEBUG configuration keeps them at INFO, and a quieter one quieter still."""

    configure_logging("DEBUG")
    assert logging.getLogger("sampark.anything").isEnabledFor(logging.DEBUG)
    for name in ("mail.log", "httpcore"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG)
    configure_logging("WARNING")
    assert not logging.getLogger("mail.log").isEnabledFor(logging.INFO)
    configure_logging("INFO")


def test_a_logger_used_before_a_reconfiguration_follows_it() -> None:
    configure_logging("INFO")
    log = structlog.get_logger("test")
    log.info("before.capture")
    with structlog.testing.capture_logs() as captured:
        log.info("during.capture")
    assert [entry["event"] for entry in captured] == ["during.capture"]
