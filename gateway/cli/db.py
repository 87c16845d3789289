"""`por-gateway db upgrade`, `por-gateway audit verify|checkpoint`: the database, its trail."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from gateway.config import Config
from gateway.runtime import audit_seal, checkpoint_file, with_registry
from registry.audit_checkpoint import write_checkpoint
from registry.audit_verify import TrailVerdict, verify_trail


def register(commands: Any) -> None:
    """Add `db` and `audit` to the command line."""
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply the schema migrations not yet applied")
    upgrade.set_defaults(run=_db_upgrade)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_commands.add_parser(
        "verify",
        help="check the sealed chain and the checkpoints: exit 1 when an event was changed, "
        "deleted or cut off, or a checkpoint line forged",
    )
    verify.set_defaults(run=_audit_verify)
    checkpoint = audit_commands.add_parser(
        "checkpoint",
        help="append the trail's head to the checkpoint file (and mail it when configured)",
    )
    checkpoint.set_defaults(run=_audit_checkpoint)


def _db_upgrade(config: Config, args: argparse.Namespace) -> int:
    async def done() -> int:
        print("database is up to date")
        return 0

    return with_registry(config, done)


def _audit_verify(config: Config, args: argparse.Namespace) -> int:
    async def work() -> int:
        verdict = await verify_trail(audit_seal(config), checkpoint_file(config))
        for item in verdict.walk.breaks:
            print(f"audit event {item.event_id}: {item.problem}")
        for problem in verdict.problems:
            print(f"checkpoint: {problem}")
        problems = len(verdict.walk.breaks) + len(verdict.problems)
        print(f"{counted(verdict.walk.count, 'audit event')} read, {counted(problems, 'problem')}")
        for line in _summary(verdict, config):
            print(line)
        return 0 if verdict.ok else 1

    return with_registry(config, work)


def counted(number: int, noun: str) -> str:
    """Say "1 problem", "0 problems", "2 problems"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(verdict: TrailVerdict, config: Config) -> list[str]:
    """Say how the trail is sealed and what the checkpoints vouch for."""
    walk, lines = verdict.walk, []
    if walk.keyed_from is None:
        lines.append(
            "the trail is not keyed (security.audit_key is not set): anyone who can write to "
            "the database can seal a changed event again"
        )
    else:
        keys = ", ".join(walk.key_ids)
        before = f"; the {walk.unkeyed} events before it are not" if walk.unkeyed else ""
        lines.append(f"sealed with key {keys} from event {walk.keyed_from} on{before}")
    path, last = checkpoint_file(config), verdict.last_checkpoint
    if last is not None:
        lines.append(
            f"last checkpoint {last.when}: {last.events} events up to event {last.last_id} "
            f"({counted(len(verdict.checkpoints.checkpoints), 'checkpoint')} compared, in {path})"
        )
    elif verdict.checkpoints.exists:
        lines.append(f"{path} holds no checkpoint that can be trusted")
    else:
        lines.append(
            f"no checkpoint yet ({path} does not exist): nothing vouches for the end of the "
            "trail; `por-gateway audit checkpoint` writes one"
        )
    return lines


def _audit_checkpoint(config: Config, args: argparse.Namespace) -> int:
    async def work() -> int:
        path = checkpoint_file(config)
        email = config.security.audit_checkpoint_email
        try:
            written = await write_checkpoint(
                path, seal=audit_seal(config), now=datetime.now(UTC), email=email
            )
        except OSError as exc:
            print(f"cannot append to {path}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        checkpoint = written.checkpoint
        print(
            f"checkpoint {checkpoint.when}: {checkpoint.events} events up to event "
            f"{checkpoint.last_id}, appended to {path}"
        )
        if written.mail is not None:
            print(f"mail to {email} queued (delivery {written.mail.id})")
        if not audit_seal(config).keyed:
            print("the checkpoint is not keyed (security.audit_key is not set)")
        return 0

    return with_registry(config, work)
