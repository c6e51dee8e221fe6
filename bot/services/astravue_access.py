"""Astravue clients acting as a linked user: one factory, shared by every service."""

from __future__ import annotations

import httpx

from bot.astravue.budget import UserRateBudget
from bot.astravue.client import AstravueClient
from bot.astravue.errors import ReauthorizationRequired
from bot.db.models import LinkStatus
from bot.domain.links import LinkInfo
from bot.services.links import OrgMissing
from bot.services.tokens import TokenManager


class AstravueAccess:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_url: str,
        tokens: TokenManager,
        budget: UserRateBudget,
    ) -> None:
        self.http = http
        self.api_url = api_url
        self.tokens = tokens
        self.budget = budget

    def __call__(self, link: LinkInfo, *, org_id: int | None = None) -> AstravueClient:
        """A client acting as this link's Astravue user, in their (or the given) organisation."""
        if link.status != LinkStatus.ACTIVE:
            raise ReauthorizationRequired("the Astravue account is not connected")
        org_id = org_id if org_id is not None else link.org_id
        if org_id is None:
            raise OrgMissing()
        return AstravueClient(
            self.http,
            base_url=self.api_url,
            org_id=org_id,
            tokens=self.tokens.provider(link.id),
            user_key=f"{link.team_id}:{link.slack_user_id}",
            budget=self.budget,
        )
