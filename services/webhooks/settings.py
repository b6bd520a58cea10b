from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_WEBHOOKS_")

    service_name: str = "webhooks"
    port: Port = 8104
