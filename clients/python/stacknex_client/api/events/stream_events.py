from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    types: str | Unset = UNSET,
    last_event_id_query: str | Unset = UNSET,
    last_event_id_header: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id_header, Unset):
        headers["Last-Event-ID"] = last_event_id_header

    params: dict[str, Any] = {}

    params["types"] = types

    params["lastEventId"] = last_event_id_query

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/stream",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | str | None:
    if response.status_code == 200:
        response_200 = response.text
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

    if response.status_code == 410:
        response_410 = ErrorEnvelope.from_dict(response.json())

        return response_410

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
) -> Response[ErrorEnvelope | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    types: str | Unset = UNSET,
    last_event_id_query: str | Unset = UNSET,
    last_event_id_header: str | Unset = UNSET,
) -> Response[ErrorEnvelope | str]:
    """Stream the organization's events as they happen (server-sent events)

     One message per event: `id: evt_…`, `event: <type>`, `data: <the event JSON, the bytes a webhook
    delivery carries>`; `: keepalive` comments every 15 s; the stream ends after 30 minutes (reconnect
    with `Last-Event-ID`, which wins over the `lastEventId` parameter). Errors before the stream starts
    are JSON envelopes; at most 10 open streams per organization and replica (429).

    Requires the `events:read` scope.

    Args:
        types (str | Unset): Comma-separated: public event types, <resource>.* or *
        last_event_id_query (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.
        last_event_id_header (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        types=types,
        last_event_id_query=last_event_id_query,
        last_event_id_header=last_event_id_header,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    types: str | Unset = UNSET,
    last_event_id_query: str | Unset = UNSET,
    last_event_id_header: str | Unset = UNSET,
) -> ErrorEnvelope | str | None:
    """Stream the organization's events as they happen (server-sent events)

     One message per event: `id: evt_…`, `event: <type>`, `data: <the event JSON, the bytes a webhook
    delivery carries>`; `: keepalive` comments every 15 s; the stream ends after 30 minutes (reconnect
    with `Last-Event-ID`, which wins over the `lastEventId` parameter). Errors before the stream starts
    are JSON envelopes; at most 10 open streams per organization and replica (429).

    Requires the `events:read` scope.

    Args:
        types (str | Unset): Comma-separated: public event types, <resource>.* or *
        last_event_id_query (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.
        last_event_id_header (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return sync_detailed(
        client=client,
        types=types,
        last_event_id_query=last_event_id_query,
        last_event_id_header=last_event_id_header,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    types: str | Unset = UNSET,
    last_event_id_query: str | Unset = UNSET,
    last_event_id_header: str | Unset = UNSET,
) -> Response[ErrorEnvelope | str]:
    """Stream the organization's events as they happen (server-sent events)

     One message per event: `id: evt_…`, `event: <type>`, `data: <the event JSON, the bytes a webhook
    delivery carries>`; `: keepalive` comments every 15 s; the stream ends after 30 minutes (reconnect
    with `Last-Event-ID`, which wins over the `lastEventId` parameter). Errors before the stream starts
    are JSON envelopes; at most 10 open streams per organization and replica (429).

    Requires the `events:read` scope.

    Args:
        types (str | Unset): Comma-separated: public event types, <resource>.* or *
        last_event_id_query (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.
        last_event_id_header (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
    """

    kwargs = _get_kwargs(
        types=types,
        last_event_id_query=last_event_id_query,
        last_event_id_header=last_event_id_header,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    types: str | Unset = UNSET,
    last_event_id_query: str | Unset = UNSET,
    last_event_id_header: str | Unset = UNSET,
) -> ErrorEnvelope | str | None:
    """Stream the organization's events as they happen (server-sent events)

     One message per event: `id: evt_…`, `event: <type>`, `data: <the event JSON, the bytes a webhook
    delivery carries>`; `: keepalive` comments every 15 s; the stream ends after 30 minutes (reconnect
    with `Last-Event-ID`, which wins over the `lastEventId` parameter). Errors before the stream starts
    are JSON envelopes; at most 10 open streams per organization and replica (429).

    Requires the `events:read` scope.

    Args:
        types (str | Unset): Comma-separated: public event types, <resource>.* or *
        last_event_id_query (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.
        last_event_id_header (str | Unset):  Example: evt_0354xIPEOJKu0fmmxXMXnj.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
    """

    return (
        await asyncio_detailed(
            client=client,
            types=types,
            last_event_id_query=last_event_id_query,
            last_event_id_header=last_event_id_header,
        )
    ).parsed
