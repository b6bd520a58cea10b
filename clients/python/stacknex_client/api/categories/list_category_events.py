from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.category_event_page import CategoryEventPage
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["startingAfter"] = starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/categories/{id}/events".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CategoryEventPage | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = CategoryEventPage.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

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
) -> Response[CategoryEventPage | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
) -> Response[CategoryEventPage | ErrorEnvelope]:
    """The category's own events, oldest first (survives deletion)

     Requires the `categories:read` scope.

    Args:
        id (str):  Example: cat_0354xIPEOJKu0fmmxXMXnj.
        limit (int | Unset):
        starting_after (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CategoryEventPage | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        starting_after=starting_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
) -> CategoryEventPage | ErrorEnvelope | None:
    """The category's own events, oldest first (survives deletion)

     Requires the `categories:read` scope.

    Args:
        id (str):  Example: cat_0354xIPEOJKu0fmmxXMXnj.
        limit (int | Unset):
        starting_after (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CategoryEventPage | ErrorEnvelope
    """

    return sync_detailed(
        id=id,
        client=client,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
) -> Response[CategoryEventPage | ErrorEnvelope]:
    """The category's own events, oldest first (survives deletion)

     Requires the `categories:read` scope.

    Args:
        id (str):  Example: cat_0354xIPEOJKu0fmmxXMXnj.
        limit (int | Unset):
        starting_after (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CategoryEventPage | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    starting_after: str | Unset = UNSET,
) -> CategoryEventPage | ErrorEnvelope | None:
    """The category's own events, oldest first (survives deletion)

     Requires the `categories:read` scope.

    Args:
        id (str):  Example: cat_0354xIPEOJKu0fmmxXMXnj.
        limit (int | Unset):
        starting_after (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CategoryEventPage | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed
