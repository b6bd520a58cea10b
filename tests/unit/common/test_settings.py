import pytest
from pydantic import ValidationError

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
