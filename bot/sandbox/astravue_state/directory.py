"""Organisations, users (and who a `@mention` names), statuses and priorities."""

from __future__ import annotations

from bot.sandbox.astravue_state.entities import Org, Priority, Status, User
from bot.sandbox.astravue_state.errors import NotFound, invalid
from bot.sandbox.astravue_state.store import StateStore
from bot.sandbox.astravue_state.values import (
    DEFAULT_PRIORITY,
    MENTION_TOKEN,
    PRIORITY_TEMPLATE,
    ROLE_IDS,
    STATUS_TEMPLATE,
)


class Directory(StateStore):
    """Organisations, users, mentions, statuses and priorities."""

    def add_org(self, org_id: int, name: str) -> Org:
        self.orgs[org_id] = Org(org_id, name)
        self._add_status_set(org_id, project_id=None, space_id=None, created_by=None)
        return self.orgs[org_id]

    def add_user(
        self, user_id: int, org_id: int, first_name: str, last_name: str, email: str, role: str
    ) -> User:
        if org_id not in self.orgs or role not in ROLE_IDS:
            raise ValueError(f"unknown org {org_id} or role {role!r}")
        user = User(user_id, org_id, first_name, last_name, email, role, self.now())
        self.users[user_id] = user
        return user

    def user(self, user_id: int) -> User:
        try:
            return self.users[user_id]
        except KeyError:
            raise NotFound(f"User {user_id} not found") from None

    def org_users(self, org_id: int) -> list[User]:
        return [u for u in self.users.values() if u.org_id == org_id]

    def _org_user(self, org_id: int, user_id: int, field_name: str) -> User:
        user = self.users.get(user_id)
        if user is None or user.org_id != org_id:
            raise invalid(field_name, f"unknown user id {user_id}", user_id)
        return user

    def mentioned_user_ids(self, org_id: int, text: str) -> list[int]:
        """Users of the org mentioned in `text`, in order of first mention."""
        found: list[int] = []
        for raw in MENTION_TOKEN.findall(text):
            token = raw.rstrip(".").lower()
            for user in self.org_users(org_id):
                names = {user.email.lower(), user.handle.lower(), user.first_name.lower()}
                if token in names and user.user_id not in found:
                    found.append(user.user_id)
        return found

    # -- statuses and priorities --

    def _add_status_set(
        self, org_id: int, *, project_id: int | None, space_id: int | None, created_by: int | None
    ) -> None:
        for position, (name, category, color) in enumerate(STATUS_TEMPLATE):
            status_id = self._next_id("status")
            self.statuses[status_id] = Status(
                status_id, org_id, name, category, color, position, project_id, space_id, created_by
            )
        for position, (label, color) in enumerate(PRIORITY_TEMPLATE):
            priority_id = self._next_id("priority")
            self.priorities[priority_id] = Priority(
                priority_id,
                org_id,
                label,
                color,
                position,
                label == DEFAULT_PRIORITY,
                project_id,
                created_by,
            )

    def statuses_for(self, org_id: int, project_id: int | None) -> list[Status]:
        found = [
            s for s in self.statuses.values() if s.org_id == org_id and s.project_id == project_id
        ]
        return sorted(found, key=lambda s: s.position)

    def priorities_for(self, org_id: int, project_id: int | None) -> list[Priority]:
        found = [
            p for p in self.priorities.values() if p.org_id == org_id and p.project_id == project_id
        ]
        return sorted(found, key=lambda p: p.position)

    def status_named(self, org_id: int, project_id: int | None, name: str) -> Status:
        statuses = self.statuses_for(org_id, project_id)
        for status in statuses:
            if status.name.lower() == name.strip().lower():
                return status
        known = ", ".join(s.name for s in statuses)
        raise invalid("status", f"unknown status '{name}' (known: {known})", name)

    def priority_labelled(self, org_id: int, project_id: int | None, label: str) -> Priority:
        priorities = self.priorities_for(org_id, project_id)
        for priority in priorities:
            if priority.label.lower() == label.strip().lower():
                return priority
        known = ", ".join(p.label for p in priorities)
        raise invalid("priority", f"unknown priority '{label}' (known: {known})", label)
