from pydantic_settings import SettingsConfigDict

from libs.common.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_WEBHOOKS_")

    service_name: str = "webhooks"
    port: int = 8104
