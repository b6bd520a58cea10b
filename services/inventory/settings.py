from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_INVENTORY_")

    service_name: str = "inventory"
    port: Port = 8103
