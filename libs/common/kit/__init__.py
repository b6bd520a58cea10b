"""The resource kit: what every use case and handler of a resource repeats, written once.

- `store`: load an aggregate the caller owns (404 otherwise, whoever owns it), append the
  events that carry the resource as GET will show it, read its history.
- `rows`: a read-model row is its resource's model, column for field (`upsert`).
- `http`: serve an operation of the route table by its id, answer with the resource and its
  `ETag`, get one row, list a page, serve a resource's own history (`GET …/{id}/events`).
"""

from libs.common.kit.http import (
    OperationRoutes,
    answer,
    answer_deleted,
    get_one,
    history_page,
    list_page,
    owner,
    use_case,
    write_one,
)
from libs.common.kit.rows import columns, upsert
from libs.common.kit.store import (
    append,
    append_each,
    append_to,
    history,
    load_owned,
    load_owned_stream,
    owns,
)

__all__ = [
    "OperationRoutes",
    "answer",
    "answer_deleted",
    "append",
    "append_each",
    "append_to",
    "columns",
    "get_one",
    "history",
    "history_page",
    "list_page",
    "load_owned",
    "load_owned_stream",
    "owner",
    "owns",
    "upsert",
    "use_case",
    "write_one",
]
