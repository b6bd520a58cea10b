from aiohttp import web
from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_DASHBOARD_")

    service_name: str = "dashboard"
    port: Port = 8105
    ops_port: Port = 9105


DASHBOARD_SETTINGS = web.AppKey("dashboard_settings", Settings)
