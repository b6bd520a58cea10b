import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.inventory_item_page import InventoryItemPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    product_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
    low_stock: bool | Unset = UNSET,
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

    params["productId"] = product_id

    params["locationId"] = location_id

    params["lowStock"] = low_stock

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/inventory",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | InventoryItemPage | None:
    if response.status_code == 200:
        response_200 = InventoryItemPage.from_dict(response.json())

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
) -> Response[ErrorEnvelope | InventoryItemPage]:
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
    product_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
    low_stock: bool | Unset = UNSET,
) -> Response[ErrorEnvelope | InventoryItemPage]:
    """List inventory items

     Requires the `inventory:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: inv_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        product_id (str | Unset):  Example: prod_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.
        low_stock (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | InventoryItemPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        created_after=created_after,
        created_before=created_before,
        product_id=product_id,
        location_id=location_id,
        low_stock=low_stock,
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
    product_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
    low_stock: bool | Unset = UNSET,
) -> ErrorEnvelope | InventoryItemPage | None:
    """List inventory items

     Requires the `inventory:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: inv_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        product_id (str | Unset):  Example: prod_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.
        low_stock (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | InventoryItemPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        starting_after=starting_after,
        created_after=created_after,
        created_before=created_before,
        product_id=product_id,
        location_id=location_id,
        low_stock=low_stock,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    product_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
    low_stock: bool | Unset = UNSET,
) -> Response[ErrorEnvelope | InventoryItemPage]:
    """List inventory items

     Requires the `inventory:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: inv_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        product_id (str | Unset):  Example: prod_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.
        low_stock (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | InventoryItemPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
        created_after=created_after,
        created_before=created_before,
        product_id=product_id,
        location_id=location_id,
        low_stock=low_stock,
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
    product_id: str | Unset = UNSET,
    location_id: str | Unset = UNSET,
    low_stock: bool | Unset = UNSET,
) -> ErrorEnvelope | InventoryItemPage | None:
    """List inventory items

     Requires the `inventory:read` scope.

    Args:
        limit (int | Unset):
        starting_after (str | Unset):  Example: inv_0354xIPEOJKu0fmmxXMXnj.
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        product_id (str | Unset):  Example: prod_0354xIPEOJKu0fmmxXMXnj.
        location_id (str | Unset):  Example: loc_0354xIPEOJKu0fmmxXMXnj.
        low_stock (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | InventoryItemPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            starting_after=starting_after,
            created_after=created_after,
            created_before=created_before,
            product_id=product_id,
            location_id=location_id,
            low_stock=low_stock,
        )
    ).parsed
