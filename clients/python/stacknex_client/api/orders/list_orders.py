import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.list_orders_status import ListOrdersStatus
from ...models.order_page import OrderPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["startingAfter"] = starting_after

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["createdAfter"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["createdBefore"] = json_created_before

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["customerId"] = customer_id

    params["locationId"] = location_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OrderPage | None:
    if response.status_code == 200:
        response_200 = OrderPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | OrderPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OrderPage]:
    """List orders, newest first

     Requires the `orders:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: ord_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):  Example: cus_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OrderPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        created_after=created_after,
        created_before=created_before,
        status=status,
        customer_id=customer_id,
        location_id=location_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
) -> ErrorEnvelope | OrderPage | None:
    """List orders, newest first

     Requires the `orders:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: ord_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):  Example: cus_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OrderPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        starting_after=starting_after,
        created_after=created_after,
        created_before=created_before,
        status=status,
        customer_id=customer_id,
        location_id=location_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OrderPage]:
    """List orders, newest first

     Requires the `orders:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: ord_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):  Example: cus_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OrderPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        created_after=created_after,
        created_before=created_before,
        status=status,
        customer_id=customer_id,
        location_id=location_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    status: ListOrdersStatus | Unset = UNSET,
    customer_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
) -> ErrorEnvelope | OrderPage | None:
    """List orders, newest first

     Requires the `orders:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: ord_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        status (ListOrdersStatus | Unset):
        customer_id (str | Unset):  Example: cus_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OrderPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            starting_after=starting_after,
            created_after=created_after,
            created_before=created_before,
            status=status,
            customer_id=customer_id,
            location_id=location_id,
        )
    ).parsed
