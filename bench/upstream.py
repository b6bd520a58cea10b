"""The trivial upstream the gateway benchmark proxies to: one tiny JSON answer, uvloop."""

import argparse

import uvloop
from aiohttp import web

BODY = b'{"success":true,"data":[],"pagination":{"hasMore":false,"nextCursor":null}}'


async def answer(request: web.Request) -> web.Response:
    return web.Response(body=BODY, content_type="application/json")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    uvloop.install()
    web.run_app(app, host="127.0.0.1", port=parser.parse_args().port, access_log=None, print=None)


if __name__ == "__main__":
    main()
