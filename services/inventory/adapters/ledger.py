"""The ledger's rows, one per change of on-hand stock. A row is an `AdjustmentRead`, column
for field, but for one name: the column `item_id` is the field `inventoryItemId`. It keeps
its name (a rename would break the replicas of the version before during a rollout, and
whatever SQL reads the table); this module is the one place that knows."""

import asyncpg

from libs.common.events import StoredEvent
from libs.contract.inventory import AdjustmentRead

_COLUMNS = {name: name for name in AdjustmentRead.model_fields} | {"inventory_item_id": "item_id"}
_INSERT = (
    f"INSERT INTO adjustments (organization_id, mode, {', '.join(_COLUMNS.values())})"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(_COLUMNS) + 3))})"
)
ITEM_COLUMN = _COLUMNS["inventory_item_id"]


async def insert(conn: asyncpg.Connection, *, line: AdjustmentRead, event: StoredEvent) -> None:
    values = (getattr(line, name) for name in _COLUMNS)
    await conn.execute(_INSERT, event.organization_id, event.mode, *values)


def from_row(row: asyncpg.Record) -> AdjustmentRead:
    return AdjustmentRead.model_validate({name: row[column] for name, column in _COLUMNS.items()})
