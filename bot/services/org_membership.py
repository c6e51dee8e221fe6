"""Choosing the Astravue organisation to work in: is the user a member, and who are they."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.astravue.client import AstravueClient
from bot.astravue.errors import Forbidden
from bot.domain.links import LinkInfo
from bot.services.identity import find_in_astravue

ClientFor = Callable[..., AstravueClient]  # (link, *, org_id=...)


@dataclass(frozen=True)
class OrgCheck:
    member: bool
    astravue_user_id: int | None = None  # found by email when no claim said who they are


class OrgMembership:
    def __init__(self, astravue: ClientFor) -> None:
        self._astravue = astravue

    async def check(self, link: LinkInfo, org_id: int) -> OrgCheck:
        client = self._astravue(link, org_id=org_id)
        try:
            await client.spaces.list()
        except Forbidden:
            return OrgCheck(member=False)
        user_id = None
        if link.astravue_user_id is None and link.email:
            user_id = (await find_in_astravue(client, link.email)).astravue_user_id
        return OrgCheck(member=True, astravue_user_id=user_id)
