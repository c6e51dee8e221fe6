"""`astravue-bot sandbox`: local fakes of Astravue, Keycloak and Slack on one port."""

from __future__ import annotations

import argparse
import asyncio


def add_sandbox_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sandbox = sub.add_parser(
        "sandbox",
        help="serve local fakes of Astravue, Keycloak and the Slack Web API",
        description="Serve the sandbox (in-memory Astravue with seed data, Keycloak, Slack Web "
        "API) on one loopback port, and print the settings that point the app at it.",
    )
    sandbox.add_argument("--port", type=int, default=4000, help="port (default 4000)")
    sandbox.set_defaults(func=cmd_sandbox)


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox.server import LoopbackServer, build_sandbox

    async def run() -> None:
        sandbox = build_sandbox()
        server = LoopbackServer(sandbox.app(), port=args.port)
        sandbox.set_base_url(server.url)
        await server.start()
        print(f"sandbox serving on {server.url}; to point the app at it:")
        for key, value in sandbox.env().items():
            print(f"  export {key}={value}")
        print("Sandbox users sign in as maria, dev, sam, gina (password: sandbox). Ctrl-C stops.")
        assert server.task is not None
        await server.task

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0
