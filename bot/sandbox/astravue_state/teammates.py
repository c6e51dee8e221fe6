"""Simulated teammates: the changes a colleague makes, for the demo and manual runs."""

from __future__ import annotations

import random

from bot.sandbox.astravue_state.time_tracking import TimeTracking


class Teammates(TimeTracking):
    """A teammate acting on the target user's tasks."""

    def simulate_teammate_activity(self, target_user_id: int, rng: random.Random) -> str:
        """A teammate assigns, mentions or moves one of the target's tasks; returns what
        happened in one line. Each outcome leaves a new notification for the target."""
        target = self.user(target_user_id)
        teammates = [
            u
            for u in self.org_users(target.org_id)
            if u.user_id != target_user_id and not u.is_guest
        ]
        tasks = [
            t
            for t in self.tasks.values()
            if t.org_id == target.org_id and t.project_id is not None and t.parent_id is None
        ]
        if not teammates or not tasks:
            raise ValueError(f"user {target_user_id} has no teammates or project tasks")
        actor = rng.choice(teammates)
        owned = [t for t in tasks if target_user_id in t.owner_ids]
        unmentioned = [t for t in tasks if target_user_id not in t.mentioned_ids]
        unowned = [t for t in tasks if target_user_id not in t.owner_ids]
        # `owned` is empty only if `unowned` is not, so there is always a move.
        kind = rng.choice(
            [
                kind
                for kind, pool in (("assign", unowned), ("mention", unmentioned), ("status", owned))
                if pool
            ]
        )
        if kind == "status":
            task = rng.choice(owned)
            others = [
                s
                for s in self.statuses_for(task.org_id, task.project_id)
                if s.status_id != task.status_id
            ]
            new_status = rng.choice(others).name
            self.update_task(actor.user_id, task.task_id, status=new_status)
            return f'{actor.full_name} moved "{task.title}" (task {task.task_id}) to {new_status}'
        if kind == "mention":
            task = rng.choice(unmentioned)
            note = f"@{target.handle} could you take a look at this?"
            self.update_task(
                actor.user_id, task.task_id, description=f"{task.description}\n{note}".strip()
            )
            return (
                f'{actor.full_name} mentioned {target.full_name} in "{task.title}" '
                f"(task {task.task_id})"
            )
        task = rng.choice(unowned)
        self.update_task(actor.user_id, task.task_id, owners=[*task.owner_ids, target_user_id])
        return (
            f'{actor.full_name} assigned {target.full_name} to "{task.title}" (task {task.task_id})'
        )
