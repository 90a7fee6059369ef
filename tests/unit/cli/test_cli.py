"""The ``sampark`` command line without services: argument parsing, settings errors, output formatting."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from sampark.platform.cli import main as cli_main
from sampark.platform.cli.common import load_settings, operator_actor
from sampark.platform.cli.migrate import format_result, format_summary
from sampark.platform.cli.tenants import format_table
from sampark.platform.cli.up import banner
from sampark.platform.embedded.supervisor import scheduler_command, web_command, worker_command
from sampark.platform.tenancy.migrations import MigrationReport, TenantResult


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SAMPARK_* variables from the test session leak in; logging is left alone."""
    import os

    for name in list(os.environ):
        if name.startswith("SAMPARK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SAMPARK_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(cli_main, "_configure_logging", lambda: None)


@pytest.mark.parametrize(
    "argv",
    [
        ["migrate"],
        ["tenants", "list"],
        ["tenants", "create", "--slug", "acme", "--name", "A", "--region", "EU"],
        ["up"],
        ["worker"],
        ["scheduler"],
        ["web"],
    ],
)
@pytest.mark.parametrize(
    ("variable", "value"), [("SAMPARK_PORT", "eighty"), ("SAMPARK_DATABASE_URL", "mysql://x")]
)
def test_settings_error_exits_2_naming_the_variable(
    argv: list[str],
    variable: str,
    value: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)
    assert cli_main.main(argv) == 2
    captured = capsys.readouterr()
    assert variable in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_drop_without_yes_is_refused_before_anything_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # An invalid setting proves the refusal comes first: loading settings would report that instead.
    monkeypatch.setenv("SAMPARK_PORT", "eighty")
    assert cli_main.main(["tenants", "drop", "acme"]) == 2
    err = capsys.readouterr().err
    assert "--yes" in err
    assert "SAMPARK_PORT" not in err


def test_up_flags_parse() -> None:
    args = cli_main.build_parser().parse_args(
        ["up", "--demo", "--port", "9001", "--host", "0.0.0.0", "--data-dir", "/tmp/x"]
    )
    assert (args.command, args.demo, args.port, args.host, args.data_dir) == (
        "up",
        True,
        9001,
        "0.0.0.0",
        "/tmp/x",
    )
    plain = cli_main.build_parser().parse_args(["up"])
    assert (plain.demo, plain.port, plain.host, plain.data_dir) == (False, None, None, None)


def test_tenants_create_flags_parse() -> None:
    args = cli_main.build_parser().parse_args(
        ["tenants", "create", "--slug", "acme", "--name", "Acme Ltd", "--region", "UK"]
    )
    # No --placement: the region's residency decides (uk for UK) when the tenant is created.
    assert (args.slug, args.name, args.region, args.placement) == ("acme", "Acme Ltd", "UK", None)
    placed = cli_main.build_parser().parse_args(
        ["tenants", "create", "--slug", "acme", "--name", "Acme", "--region", "UK", "--placement", "eu"]
    )
    assert placed.placement == "eu"
    drop = cli_main.build_parser().parse_args(["tenants", "drop", "acme", "--yes"])
    assert (drop.slug, drop.yes) == ("acme", True)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["tenants"],
        ["tenants", "create", "--slug", "acme", "--name", "A"],
        ["up", "--port", "70000"],
        ["up", "--port", "http"],
        ["migrate", "--concurrency", "0"],
        ["tenants", "suspend"],
        ["nonsense"],
    ],
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli_main.build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_flags_override_environment_and_unset_flags_do_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SAMPARK_PORT", "8001")
    monkeypatch.setenv("SAMPARK_HOST", "127.0.0.2")
    settings = load_settings(port=9002, host=None, data_dir=str(tmp_path / "d"))
    assert (settings.port, settings.host) == (9002, "127.0.0.2")
    assert settings.data_dir == (tmp_path / "d").resolve()


def test_child_command_lines() -> None:
    assert worker_command() == [
        sys.executable,
        "-m",
        "dramatiq",
        "sampark.workers.actors",
        "--processes",
        "1",
        "--threads",
        "4",
        "--worker-shutdown-timeout",
        "30000",
    ]
    assert scheduler_command() == [sys.executable, "-m", "sampark.workers.scheduler"]
    assert web_command("127.0.0.1", 8123) == [
        sys.executable,
        "-m",
        "uvicorn",
        "sampark.web.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
    ]


def test_operator_actor_names_the_os_user() -> None:
    actor = operator_actor()
    assert actor.startswith("cli:")
    assert len(actor) > len("cli:")


def test_migration_lines() -> None:
    ok = TenantResult(7, "acme", 1, 2)
    failed = TenantResult(8, "beta", 1, 1, error="UndefinedFunctionError: lower(integer)")
    assert format_result(ok) == "ok      acme (#7) 1 -> 2"
    assert format_result(failed) == "failed  beta (#8) stays at 1: UndefinedFunctionError: lower(integer)"
    summary = format_summary(MigrationReport(0, 1, 2, [ok, failed], 1.25))
    assert "1 migrated" in summary
    assert "1 failed" in summary
    assert "target version 2" in summary


def test_table_aligns_columns() -> None:
    table = format_table(("id", "slug"), [[1, "acme"], [12, "b"]]).splitlines()
    assert table == ["id  slug", "1   acme", "12  b"]


def test_banner_shows_urls_and_the_demo_login(tmp_path: Path) -> None:
    settings = load_settings(port=8123)
    demo = SimpleNamespace(
        slug="demo",
        admin_email="admin@demo.sampark.localhost",
        password="s3cret-pass",
        password_file=tmp_path / "demo-admin.txt",
    )
    text = banner(settings, demo, mail_sink=True)
    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:8123/ops/mail" in text
    assert "http://127.0.0.1:8123/t/demo/" in text
    assert "admin@demo.sampark.localhost" in text
    assert "s3cret-pass" in text
    plain = banner(settings, None, mail_sink=False)
    assert "/ops/mail" not in plain
    assert "demo" not in plain


def test_up_refuses_a_port_in_use_before_starting_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert cli_main.main(["up", "--port", str(port), "--data-dir", str(tmp_path / "data")]) == 2
    assert f"port {port}" in capsys.readouterr().err
    assert not (tmp_path / "data" / "postgres").exists()
