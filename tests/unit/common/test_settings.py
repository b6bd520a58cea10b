from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from libs.common.keys import KeyMaterialError
from libs.common.settings import DEV_IDEMPOTENCY_RECORDS_KEY
from services.catalog.app import create_app
from services.catalog.settings import Settings as CatalogSettings
from services.gateway.settings import Settings as GatewaySettings
from tests.conftest import key_settings


def test_service_prefix_wins_over_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKNEX_DATABASE_URL", "postgresql://shared@db:5432/stacknex")
    monkeypatch.setenv("STACKNEX_CATALOG_DATABASE_URL", "postgresql://catalog@db:5432/catalog")
    assert "catalog@" in str(CatalogSettings().database_url)
    assert "shared@" in str(GatewaySettings().database_url)


def test_each_service_has_its_own_port_and_schema() -> None:
    assert CatalogSettings().port != GatewaySettings().port
    assert CatalogSettings().db_schema == "catalog"


def test_production_refuses_to_start_without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKNEX_ENVIRONMENT", "production")
    monkeypatch.setenv("STACKNEX_IDEMPOTENCY_RECORDS_KEY", Fernet.generate_key().decode())
    with pytest.raises(ValidationError, match="signing_key_file and public_keys_dir"):
        CatalogSettings()
    monkeypatch.setenv("STACKNEX_CATALOG_SIGNING_KEY_FILE", "/etc/stacknex/signing/key.pem")
    with pytest.raises(ValidationError, match="public_keys_dir must be set"):
        CatalogSettings()
    monkeypatch.setenv("STACKNEX_PUBLIC_KEYS_DIR", "/etc/stacknex/public-keys")
    settings = CatalogSettings()
    assert settings.signing_key_path == Path("/etc/stacknex/signing/key.pem")
    # The catalog's key is not the gateway's: the service prefix keeps them apart.
    with pytest.raises(ValidationError, match="signing_key_file must be set"):
        GatewaySettings()


def test_outside_production_the_keys_default_to_what_make_run_generates() -> None:
    settings = CatalogSettings()
    assert settings.signing_key_path == Path(".run/keys/catalog.key")
    assert settings.public_keys_path == Path(".run/keys/public")


def test_a_service_without_its_keys_does_not_start(tmp_path: Path, keys_dir: Path) -> None:
    settings = CatalogSettings(signing_key_file=tmp_path / "none.key", public_keys_dir=tmp_path)
    with pytest.raises(KeyMaterialError, match=r"none\.key is unreadable"):
        create_app(settings)
    # Another service's key: siblings would refuse everything the catalog signs.
    wrong = CatalogSettings(**key_settings(keys_dir, "orders"))
    with pytest.raises(KeyMaterialError, match="lacks the public key"):
        create_app(wrong)
    (tmp_path / "gateway.pem").write_text("not a key")
    with pytest.raises(KeyMaterialError, match="not a PEM public key"):
        create_app(
            CatalogSettings(**{**key_settings(keys_dir, "catalog"), "public_keys_dir": tmp_path})
        )


def test_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKNEX_CATALOG_PORT", "70000")
    with pytest.raises(ValidationError):
        CatalogSettings()


def test_retention_settings_are_shared_and_a_too_short_dedupe_window_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STACKNEX_PROCESSED_EVENTS_RETENTION_DAYS", "21")
    monkeypatch.setenv("STACKNEX_CATALOG_RETENTION_BATCH_SIZE", "1000")
    assert CatalogSettings().processed_events_retention_days == 21
    assert CatalogSettings().retention_batch_size == 1000
    assert GatewaySettings().retention_batch_size == 5000
    # Shorter than a redelivery can come: a redelivered event would take effect twice.
    monkeypatch.setenv("STACKNEX_PROCESSED_EVENTS_RETENTION_DAYS", "1")
    with pytest.raises(ValidationError, match="processed_events_retention_days"):
        CatalogSettings()


def test_idempotency_records_key_is_real_in_production_and_per_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STACKNEX_ENVIRONMENT", "production")
    monkeypatch.setenv("STACKNEX_SIGNING_KEY_FILE", "/etc/stacknex/signing/key.pem")
    monkeypatch.setenv("STACKNEX_PUBLIC_KEYS_DIR", "/etc/stacknex/public-keys")
    with pytest.raises(ValidationError, match="idempotency_records_key"):
        CatalogSettings()
    # Rotating: the new key first, the dev one still behind it is refused all the same.
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("STACKNEX_IDEMPOTENCY_RECORDS_KEY", f"{new},{DEV_IDEMPOTENCY_RECORDS_KEY}")
    with pytest.raises(ValidationError, match="idempotency_records_key"):
        CatalogSettings()
    monkeypatch.setenv("STACKNEX_IDEMPOTENCY_RECORDS_KEY", "not-a-fernet-key")
    with pytest.raises(ValidationError, match="Fernet"):
        CatalogSettings()
    monkeypatch.setenv("STACKNEX_IDEMPOTENCY_RECORDS_KEY", new)
    own = Fernet.generate_key().decode()
    monkeypatch.setenv("STACKNEX_CATALOG_IDEMPOTENCY_RECORDS_KEY", own)
    assert CatalogSettings().idempotency_records_key.get_secret_value() == own
    assert GatewaySettings().idempotency_records_key.get_secret_value() == new
