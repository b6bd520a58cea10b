from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_CATALOG_")

    service_name: str = "catalog"
    port: Port = 8101
    ops_port: Port = 9101
