import pytest

from config.settings import SettingsError, load_settings


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path):
    settings = load_settings(environ={"CONCORD_INSTANCE_PATH": str(tmp_path)})
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'concord.sqlite3'}"
    assert settings.timezone == ""  # the forum's zone, from the profile


def test_file_then_environment(tmp_path):
    config = tmp_path / "concord.toml"
    config.write_text('timezone = "Europe/Vienna"\nlogin_attempts = 3\nsecret_key = "from-file"\n')
    settings = load_settings(
        environ={
            "CONCORD_CONFIG": str(config),
            "CONCORD_LOGIN_ATTEMPTS": "7",
            "CONCORD_INSTANCE_PATH": str(tmp_path),
        }
    )
    assert settings.timezone == "Europe/Vienna"
    assert settings.login_attempts == 7  # the environment wins over the file
    assert settings.secret_key == "from-file"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CONCORD_COLOUR": "blue"}, "unknown setting CONCORD_COLOUR"),
        ({"CONCORD_LOGIN_ATTEMPTS": "many"}, "'login_attempts' must be of type int"),
        ({"CONCORD_SESSION_COOKIE_SECURE": "perhaps"}, "'session_cookie_secure' must be of type bool"),
        ({"CONCORD_TIMEZONE": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"CONCORD_ENV": "staging"}, "'env' must be one of"),
        ({"CONCORD_PUBLIC_URL": "concord.example.org"}, "'public_url' must start with https://"),
        ({"CONCORD_SMTP_SECURITY": "ssl"}, "'smtp_security' must be one of none, starttls, tls"),
        ({"CONCORD_SMTP_PORT": "70000"}, "'smtp_port' must be 0 to 65535"),
        ({"CONCORD_MAIL_MAX_ATTEMPTS": "0"}, "'mail_max_attempts' must be at least 1"),
        ({"CONCORD_ENV": "production"}, "'secret_key' is required in production"),
        (
            {"CONCORD_ENV": "production", "CONCORD_SECRET_KEY": "s"},
            "'audit_key' is required in production",
        ),
    ],
)
def test_bad_settings_fail_with_one_line_naming_the_key(tmp_path, environ, message):
    with pytest.raises(SettingsError) as excinfo:
        load_settings(environ={"CONCORD_INSTANCE_PATH": str(tmp_path), **environ})
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_unknown_key_in_file_is_named(tmp_path):
    config = tmp_path / "concord.toml"
    config.write_text("databse_url = 'sqlite://'\n")
    with pytest.raises(SettingsError, match=r"concord.toml: unknown setting 'databse_url'"):
        load_settings(environ={"CONCORD_CONFIG": str(config)})


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = load_settings(environ={"CONCORD_INSTANCE_PATH": str(tmp_path)})
    second = load_settings(environ={"CONCORD_INSTANCE_PATH": str(tmp_path)})
    assert len(first.secret_key) == 64
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert len(first.audit_key) == 64 and first.audit_key == second.audit_key
    assert first.audit_key != first.secret_key
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0


def test_mail_settings_from_the_environment(tmp_path):
    settings = load_settings(
        environ={
            "CONCORD_INSTANCE_PATH": str(tmp_path),
            "CONCORD_SMTP_HOST": "mail.example.org",
            "CONCORD_SMTP_SECURITY": "starttls",
        }
    )
    assert settings.smtp_host == "mail.example.org"
    assert settings.smtp_port_or_default == 587  # no port: the security's usual one
    assert load_settings(environ={"CONCORD_INSTANCE_PATH": str(tmp_path)}).smtp_host == ""
