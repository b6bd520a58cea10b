"""The write-path load generator (a separate process): rings up sales through the gateway
at a fixed concurrency for a fixed time, and writes one JSON line per sale."""

import argparse
import asyncio
import json
import time

import aiohttp
import uvloop


async def run(args: argparse.Namespace) -> None:
    products = args.product.split(",")
    bodies = [
        json.dumps(
            {
                "locationId": args.location,
                "paymentMethod": "card",
                "items": [{"productId": p, "quantity": 1}],
            }
        ).encode()
        for p in products
    ]
    headers = {
        "Authorization": f"Bearer {args.key}",
        "Content-Type": "application/json",
        "X-Forwarded-Proto": "https",
    }
    deadline = time.monotonic() + args.seconds
    lines: list[str] = []
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=args.concurrency)
    ) as http:

        async def client(n: int) -> None:
            while time.monotonic() < deadline:
                n += 1
                body = bodies[n % len(bodies)]
                started = time.monotonic()
                async with http.post(
                    args.url + "/api/v1/orders", data=body, headers=headers
                ) as response:
                    payload = await response.json()
                finished = time.time()
                lines.append(
                    json.dumps(
                        {
                            "status": response.status,
                            "seconds": time.monotonic() - started,
                            "answeredAt": finished,
                            "orderId": payload["data"]["id"] if response.status == 201 else None,
                        }
                    )
                )

        await asyncio.gather(*(client(i) for i in range(args.concurrency)))
    with open(args.out, "w") as out:
        out.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("url", "key", "product", "location", "out"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    uvloop.install()
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
