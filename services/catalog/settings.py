from pydantic_settings import SettingsConfigDict

from libs.common.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_CATALOG_")

    service_name: str = "catalog"
    port: int = 8101
