from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_ORDERS_")

    service_name: str = "orders"
    port: Port = 8102
    ops_port: Port = 9102
