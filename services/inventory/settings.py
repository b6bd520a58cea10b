from aiohttp import web
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from libs.common.settings import Port, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STACKNEX_INVENTORY_")

    service_name: str = "inventory"
    port: Port = 8103
    ops_port: Port = 9103
    # 60 s: an order is recorded within the 5 s the orders service waits on its hold, so a
    # hold unconfirmed for this long is orphaned (or its event is merely late: then the
    # sweeper finds the order and confirms it).
    hold_orphan_after: float = Field(60.0, gt=0)
    hold_sweep_interval: float = Field(30.0, gt=0)


# The service's own settings, typed: `app[SETTINGS]` (libs/common) holds the same object as
# the common base class.
INVENTORY_SETTINGS = web.AppKey("inventory_settings", Settings)
