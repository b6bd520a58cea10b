from pydantic import RedisDsn
from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_GATEWAY_")

    service_name: str = "gateway"
    port: Port = 8080
    # Shared by every gateway replica: rate limits must hold across all of them.
    redis_url: RedisDsn = RedisDsn("redis://127.0.0.1:6379/0")
