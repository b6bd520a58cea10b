import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from libs.common.settings import DEV_IDEMPOTENCY_RECORDS_KEY
from services.catalog.settings import Settings as CatalogSettings
from services.gateway.settings import Settings as GatewaySettings


def test_service_prefix_wins_over_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKNEX_DATABASE_URL", "postgresql://shared@db:5432/stacknex")
    monkeypatch.setenv("STACKNEX_CATALOG_DATABASE_URL", "postgresql://catalog@db:5432/catalog")
    assert "catalog@" in str(CatalogSettings().database_url)
    assert "shared@" in str(GatewaySettings().database_url)


def test_each_service_has_its_own_port_and_schema() -> None:
    assert CatalogSettings().port != GatewaySettings().port
    assert CatalogSettings().db_schema == "catalog"


def test_placeholder_secret_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKNEX_ENVIRONMENT", "production")
    monkeypatch.setenv("STACKNEX_IDEMPOTENCY_RECORDS_KEY", Fernet.generate_key().decode())
    with pytest.raises(ValidationError, match="internal_auth_secret"):
        CatalogSettings()
    monkeypatch.setenv("STACKNEX_INTERNAL_AUTH_SECRET", "short")
    with pytest.raises(ValidationError):
        CatalogSettings()
    monkeypatch.setenv("STACKNEX_INTERNAL_AUTH_SECRET", "a-real-secret-from-the-vault-0123456789")
    assert CatalogSettings().environment == "production"


def test_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKNEX_CATALOG_PORT", "70000")
    with pytest.raises(ValidationError):
        CatalogSettings()


def test_idempotency_records_key_is_real_in_production_and_per_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STACKNEX_ENVIRONMENT", "production")
    monkeypatch.setenv("STACKNEX_INTERNAL_AUTH_SECRET", "a-real-secret-from-the-vault-0123456789")
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
