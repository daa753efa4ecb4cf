"""Settings: defaults, then the file named by CONCORD_CONFIG, then CONCORD_* variables.

Every key is declared once in `Settings`; an unknown key or a value of the wrong
type stops start-up with one line naming it.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PROFILE = PACKAGE_DIR / "profiles" / "cica.toml"
DEFAULT_WORKFLOWS = PACKAGE_DIR / "workflows"
# The message catalogues (the interface's, which e-mail shares).
TRANSLATIONS_DIR = PACKAGE_DIR.parent / "web" / "translations"
SMTP_SECURITIES = ("none", "starttls", "tls")
ENVIRONMENTS = ("development", "production", "testing")
# What production means unless the operator says otherwise: HTTPS only.
PRODUCTION_DEFAULTS: dict[str, object] = {
    "session_cookie_secure": True,
    "hsts_max_age_seconds": 365 * 24 * 3600,
}


class SettingsError(Exception):
    """A setting is missing, unknown or of the wrong type."""


LOCAL_URL = "http://127.0.0.1:5000"  # where `concord serve` listens by default

@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = ""  # empty: a SQLite file in the instance folder
    secret_key: str = ""  # required outside development
    audit_key: str = ""  # signs the audit trail; required outside development, never in the DB
    audit_keys_retired: str = ""  # earlier audit keys, comma-separated, to verify old events
    instance_path: str = "instance"
    timezone: str = ""  # shown times' default zone; empty: the forum's (the profile's)
    profile: str = str(DEFAULT_PROFILE)
    # Process definitions; empty: the profile's own (`definitions`), else the bundled ones.
    workflows_path: str = ""
    run_scheduler: bool = False  # `concord serve` turns it on for the embedded default
    login_attempts: int = 5  # failed logins allowed per window before refusing
    login_window_seconds: int = 300
    session_cookie_secure: bool = False  # production: true unless set
    hsts_max_age_seconds: int = 0  # Strict-Transport-Security; production: a year unless set
    max_request_bytes: int = 2 * 1024 * 1024  # a larger request body is refused (413)
    trusted_proxies: int = 0  # reverse proxies in front that set X-Forwarded-For/-Proto
    api_token_days: int = 90  # how long a new API token stays valid
    # The site's address for links sent out (https://concord.example.org); set it in
    # production. Empty: pages use the request's address, mail and the CLI LOCAL_URL.
    public_url: str = ""
    sweep_interval_seconds: int = 30
    # E-mail. No smtp_host: messages stay in the outbox (the outbox page, `concord
    # notifications list`). smtp_port 0: 25, 587 with starttls, 465 with tls.
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "none"  # none | starttls | tls
    smtp_username: str = ""
    smtp_password: str = ""
    mail_from: str = "Concord <concord@localhost>"
    mail_max_attempts: int = 8  # a message that failed this often is marked failed

    @property
    def link_base(self) -> str:
        """Where links sent out point: `public_url`, else `concord serve`'s own address."""
        return (self.public_url or LOCAL_URL).rstrip("/")

    @property
    def smtp_port_or_default(self) -> int:
        if self.smtp_port:
            return self.smtp_port
        return {"tls": 465, "starttls": 587}.get(self.smtp_security, 25)

    @property
    def instance_dir(self) -> Path:
        return Path(self.instance_path).resolve()

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.instance_dir / 'concord.sqlite3'}"


FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _coerce(key: str, value: object, source: str) -> object:
    expected = FIELDS[key].type
    if expected == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in (
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        ):
            return value.lower() in ("1", "true", "yes", "on")
    elif expected == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
    elif isinstance(value, str):
        return value
    raise SettingsError(f"{source}: setting '{key}' must be of type {expected}, got {value!r}")


def _from_file(path: str) -> dict[str, object]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(f"CONCORD_CONFIG: settings file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    values = {}
    for key, value in data.items():
        if key not in FIELDS:
            raise SettingsError(f"{path}: unknown setting '{key}'")
        values[key] = _coerce(key, value, path)
    return values


def _from_environment(environ: dict[str, str]) -> dict[str, object]:
    values = {}
    for name, value in environ.items():
        if not name.startswith("CONCORD_") or name in (
            "CONCORD_CONFIG",
            "CONCORD_TEST_DATABASE_URL",
        ):
            continue
        key = name.removeprefix("CONCORD_").lower()
        if key not in FIELDS:
            raise SettingsError(f"environment: unknown setting {name}")
        values[key] = _coerce(key, value, f"environment {name}")
    return values


def _validate(settings: Settings) -> None:
    if settings.env not in ENVIRONMENTS:
        raise SettingsError(
            f"setting 'env' must be one of {', '.join(ENVIRONMENTS)}, got {settings.env!r}"
        )
    if settings.timezone:
        try:
            ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
            raise SettingsError(
                f"setting 'timezone': unknown time zone {settings.timezone!r}"
            ) from None
    if settings.login_attempts < 1:
        raise SettingsError("setting 'login_attempts' must be at least 1")
    if settings.trusted_proxies < 0:
        raise SettingsError("setting 'trusted_proxies' must be 0 or more")
    if settings.hsts_max_age_seconds < 0:
        raise SettingsError("setting 'hsts_max_age_seconds' must be 0 or more")
    if settings.max_request_bytes < 1024:
        raise SettingsError("setting 'max_request_bytes' must be at least 1024")
    if settings.public_url and not settings.public_url.startswith(("https://", "http://")):
        raise SettingsError(
            f"setting 'public_url' must start with https:// or http://, got {settings.public_url!r}"
        )
    if settings.smtp_security not in SMTP_SECURITIES:
        raise SettingsError(
            f"setting 'smtp_security' must be one of {', '.join(SMTP_SECURITIES)}, "
            f"got {settings.smtp_security!r}"
        )
    if not 0 <= settings.smtp_port <= 65535:
        raise SettingsError("setting 'smtp_port' must be 0 to 65535")
    if settings.mail_max_attempts < 1:
        raise SettingsError("setting 'mail_max_attempts' must be at least 1")
    if settings.api_token_days < 1:
        raise SettingsError("setting 'api_token_days' must be at least 1")


def _development_secret(instance_dir: Path, name: str = "secret_key") -> str:
    """A secret generated once and kept in the instance folder."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    key_file = instance_dir / name
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    if environ.get("CONCORD_CONFIG"):
        values.update(_from_file(environ["CONCORD_CONFIG"]))
    values.update(_from_environment(environ))
    for key, value in overrides.items():
        if key not in FIELDS:
            raise SettingsError(f"unknown setting '{key}'")
        values[key] = value
    if values.get("env") == "production":
        values = {**PRODUCTION_DEFAULTS, **values}
    settings = Settings(**values)
    _validate(settings)
    for key in ("secret_key", "audit_key"):
        if getattr(settings, key):
            continue
        if settings.env == "production":
            raise SettingsError(
                f"setting '{key}' is required in production (CONCORD_{key.upper()})"
            )
        settings = dataclasses.replace(
            settings, **{key: _development_secret(settings.instance_dir, key)}
        )
    return settings


__all__ = ["Settings", "SettingsError", "load_settings"]
