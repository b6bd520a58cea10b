from pydantic import Field, RedisDsn
from pydantic_settings import SettingsConfigDict

from libs.common.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_GATEWAY_")

    service_name: str = "gateway"
    port: int = Field(8080, ge=0, le=65535)
    # Shared by every gateway replica: rate limits must hold across all of them.
    redis_url: RedisDsn = RedisDsn("redis://127.0.0.1:6379/0")
