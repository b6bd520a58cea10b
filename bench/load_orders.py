"""The write-path load generator (a separate process): rings up sales through the gateway
at a fixed concurrency for a fixed time, and writes one JSON line per sale. With `--rate`,
sales arrive at that rate instead (an open loop, as a store's tills do), at most
`--concurrency` at once: a latency at a given load, not at saturation."""

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

        async def sale(n: int) -> None:
            body = bodies[n % len(bodies)]
            started = time.monotonic()
            async with http.post(args.url + "/api/v1/orders", data=body, headers=headers) as r:
                payload = await r.json()
            lines.append(
                json.dumps(
                    {
                        "status": r.status,
                        "seconds": time.monotonic() - started,
                        "answeredAt": time.time(),
                        "orderId": payload["data"]["id"] if r.status == 201 else None,
                    }
                )
            )

        async def arrivals() -> None:
            slots = asyncio.Semaphore(args.concurrency)
            tasks: set[asyncio.Task[None]] = set()

            async def bounded(n: int) -> None:
                async with slots:
                    await sale(n)

            n, start = 0, time.monotonic()
            while time.monotonic() < deadline:
                task = asyncio.create_task(bounded(n))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                n += 1
                # The next arrival on the schedule, not after this sale: an open loop.
                await asyncio.sleep(max(0.0, start + n / args.rate - time.monotonic()))
            await asyncio.gather(*tasks)

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

        if args.rate:
            await arrivals()
        else:
            await asyncio.gather(*(client(i) for i in range(args.concurrency)))
    with open(args.out, "w") as out:
        out.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("url", "key", "product", "location", "out"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--rate", type=float, default=0.0, help="sales per second (open loop)")
    uvloop.install()
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
