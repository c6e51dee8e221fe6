"""Which installation row speaks for a team (shared by the store and the lifecycle)."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from bot.db.models import SlackInstallation


def active_row_for(team_id: str | None, enterprise_id: str | None):  # type: ignore[no-untyped-def]
    """The query for the installation that speaks for a team: its own, else its org's
    org-wide one; a `team_id` that is an enterprise id (an org-wide link's key) finds that."""
    org_wide = and_(SlackInstallation.team_id == "", SlackInstallation.is_enterprise_install)
    exact = and_(
        SlackInstallation.enterprise_id == (enterprise_id or ""),
        SlackInstallation.team_id == (team_id or ""),
    )
    matches = [exact]
    if enterprise_id:
        matches.append(and_(SlackInstallation.enterprise_id == enterprise_id, org_wide))
    if team_id:
        matches.append(and_(SlackInstallation.enterprise_id == team_id, org_wide))
        if not enterprise_id:  # background sends know the team only
            matches.append(SlackInstallation.team_id == team_id)
    return (
        select(SlackInstallation)
        .where(or_(*matches), SlackInstallation.uninstalled_at.is_(None))
        .order_by(SlackInstallation.team_id.desc())
        .limit(1)
    )
