"""Settings come from SAMPARK_* variables; a bad value names its variable."""

from pathlib import Path

import pytest

from sampark.platform.config.settings import Settings, SettingsError


def test_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = Settings.from_env({}, data_dir=tmp_path)
    assert settings.embedded_database and settings.embedded_redis and settings.embedded_mail
    assert settings.port == 8000
    assert len(settings.secret_key) >= 32
    # The generated secret is kept, so sessions survive a restart.
    assert Settings.from_env({}, data_dir=tmp_path).secret_key == settings.secret_key


def test_values_are_parsed(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "SAMPARK_DATA_DIR": str(tmp_path),
            "SAMPARK_PORT": "9001",
            "SAMPARK_DEBUG": "yes",
            "SAMPARK_DATABASE_URL": "postgresql://app@db/sampark",
            "SAMPARK_REDIS_URL": "redis://cache:6379/0",
            "SAMPARK_LOG_LEVEL": "warning",
        }
    )
    assert (settings.port, settings.debug, settings.log_level) == (9001, True, "WARNING")
    assert not settings.embedded_database and not settings.embedded_redis
    assert settings.data_dir == tmp_path.resolve()


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("SAMPARK_PORT", "eighty", "invalid literal"),
        ("SAMPARK_PORT", "70000", "between 0 and 65535"),
        ("SAMPARK_DATABASE_URL", "mysql://db/x", "postgresql://"),
        ("SAMPARK_REDIS_URL", "http://cache", "redis://"),
        ("SAMPARK_DEBUG", "perhaps", "true/false"),
        ("SAMPARK_SECRET_KEY", "short", "at least 32"),
        ("SAMPARK_DB_POOL_SIZE", "0", "at least 1"),
        ("SAMPARK_LOG_LEVEL", "LOUD", "DEBUG"),
    ],
)
def test_bad_value_names_the_variable(tmp_path: Path, variable: str, value: str, reason: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({variable: value}, data_dir=tmp_path)
    assert variable in str(raised.value) and reason in str(raised.value)
