"""`por-gateway outbox status|retry` and `por-gateway switch-sim`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from gateway.config import Config
from gateway.runtime import with_registry
from outbound.outbox import outbox_status, replay_delivery
from outbound.switch.simulator import Behaviour, SwitchSimulator
from registry.models import Delivery

Command = Callable[[Config, argparse.Namespace], int]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the outbox and switch simulator sub-commands."""
    outbox = commands.add_parser("outbox", help="deliveries owed to fax, the switch and NCIC")
    actions = outbox.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    status = actions.add_parser(
        "status", help="count deliveries by adapter and status; the oldest one not yet sent"
    )
    status.set_defaults(run=_status)
    retry = actions.add_parser("retry", help="send a dead or failed delivery again")
    retry.add_argument("id", type=int, help="the delivery's id (see the staff page or status)")
    retry.set_defaults(run=_retry)

    sim = commands.add_parser(
        "switch-sim", help="run a stand-in for the state message switch (tcp framing, ACK/NAK)"
    )
    sim.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sim.add_argument("--port", type=int, required=True, help="port to listen on")
    sim.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    sim.add_argument(
        "--drop-first", type=int, default=0, help="hang up without answering on the first N"
    )
    sim.add_argument(
        "--nak-transient", type=int, default=0, help="answer T01 N times per key, then ACK"
    )
    sim.add_argument("--nak-permanent", action="store_true", help="refuse every message (P02)")
    sim.set_defaults(run=_switch_sim)


def _status(config: Config, args: argparse.Namespace) -> int:
    async def work() -> int:
        now = datetime.now(UTC)
        report = await outbox_status()
        print(f"{'adapter':<10}{'status':<10}{'deliveries':>10}")
        for (adapter, state), count in sorted(report.counts.items()):
            print(f"{adapter:<10}{state:<10}{count:>10}")
        age = report.oldest_pending_age(now)
        oldest = "none" if age is None else f"{age.total_seconds():.0f} s"
        print(f"oldest not yet sent: {oldest}")
        return 0

    return with_registry(config, work)


def _retry(config: Config, args: argparse.Namespace) -> int:
    async def work() -> int:
        delivery = await replay_delivery(args.id, actor="cli", now=datetime.now(UTC))
        if delivery is None:
            found = await Delivery.get_or_none(id=args.id)
            why = "no such delivery" if found is None else f"it is {found.status.value}"
            print(f"delivery {args.id} not replayed: {why}", file=sys.stderr)
            return 1
        print(f"delivery {args.id} ({delivery.adapter.value}) will be sent again")
        return 0

    return with_registry(config, work)


def _switch_sim(config: Config, args: argparse.Namespace) -> int:
    behaviour = Behaviour(
        delay=args.delay,
        drop_first=args.drop_first,
        nak_transient=args.nak_transient,
        nak_permanent=args.nak_permanent,
    )

    async def run() -> None:
        simulator = SwitchSimulator(behaviour)
        port = await simulator.start(args.host, args.port)
        print(f"switch simulator on {args.host}:{port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        await simulator.stop()
        repeated = sum(1 for n in simulator.received.values() if n > 1)
        print(f"{len(simulator.received)} keys received, {repeated} more than once")

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0
