"""`stacknex`: the operator CLI. It talks to the same database and broker as the services,
configured by the same environment variables."""

import argparse
import asyncio
import sys
from collections.abc import Sequence

import aio_pika
import asyncpg
import structlog

from cli import access, keys, listen, members
from cli.registry import SERVICES, load_spec
from libs.common import jsoncodec
from libs.common.broker import Broker
from libs.common.consumer import declare_topology
from libs.common.db import create_pool, migrate_down, migrate_up
from libs.common.eventstore import EventStore
from services.gateway.domain.model import AccessError


def _out(args: argparse.Namespace, human: str, data: object) -> None:
    print(jsoncodec.dumps_str(data) if getattr(args, "json", False) else human)


async def _migrate(args: argparse.Namespace) -> None:
    names = args.services or list(SERVICES)
    report: dict[str, list[str]] = {}
    for name in names:
        spec = load_spec(name)
        if not spec.database:
            continue
        settings = spec.settings_cls()
        conn = await asyncpg.connect(str(settings.database_url))
        try:
            migrate = migrate_down if args.down else migrate_up
            report[name] = await migrate(
                conn, schema=settings.db_schema, migrations=spec.migrations()
            )
        finally:
            await conn.close()
        if spec.subscriptions and not args.down:
            # Queues exist before anything is published, so no early event goes unrouted.
            broker = Broker(url=str(settings.amqp_url), exchange=settings.events_exchange)
            await broker.connect()
            try:
                channel = await broker.connection.channel()
                for subscription in spec.subscriptions:
                    await declare_topology(channel, broker, subscription)
            finally:
                await broker.close()
    verb = "reverted" if args.down else "applied"
    human = "\n".join(f"{n}: {verb} {len(m)} migration(s)" for n, m in report.items())
    _out(args, human, {"migrations": report, "direction": "down" if args.down else "up"})


async def _rebuild(args: argparse.Namespace) -> None:
    spec = load_spec(args.service)
    if not spec.database:
        raise SystemExit(f"stacknex: {spec.name} keeps no data of its own; nothing to rebuild")
    settings = spec.settings_cls()
    projector = spec.projector() if spec.projector else None
    pool = await create_pool(str(settings.database_url), schema=settings.db_schema, max_size=1)
    try:
        store = EventStore(schema=settings.db_schema, projector=projector)
        async with pool.acquire() as conn:
            replayed = await store.rebuild(conn)
    finally:
        await pool.close()
    tables = list(projector.tables) if projector else []
    _out(
        args,
        f"{args.service}: rebuilt {len(tables)} read model(s) from {replayed} event(s)",
        {"service": args.service, "readModels": tables, "eventsReplayed": replayed},
    )


async def _openapi(args: argparse.Namespace) -> None:
    from cli.openapi import build

    print(jsoncodec.dumps_sorted(build()).decode())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="stacknex", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="apply (or revert) database migrations")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help="default: all")
    migrate.add_argument("--down", action="store_true", help="revert every migration")
    migrate.add_argument("--json", action="store_true")
    migrate.set_defaults(handler=_migrate)

    projections = commands.add_parser("projections", help="read models")
    verbs = projections.add_subparsers(dest="verb", required=True)
    rebuild = verbs.add_parser("rebuild", help="rebuild a service's read models from its events")
    rebuild.add_argument("service", choices=SERVICES)
    rebuild.add_argument("--json", action="store_true")
    rebuild.set_defaults(handler=_rebuild)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document of the API")
    openapi.set_defaults(handler=_openapi)

    access.add_commands(commands)
    keys.add_commands(commands)
    members.add_commands(commands)
    listen.add_commands(commands)
    return root


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    # A use case's log lines (the members' audit lines) go to stderr: stdout is the
    # command's answer, and `--json` must keep it parseable.
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(sys.stderr))
    try:
        asyncio.run(args.handler(args))
    except AccessError as exc:
        print(f"stacknex: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    except (OSError, asyncpg.PostgresError, aio_pika.exceptions.AMQPError) as exc:
        print(f"stacknex: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
