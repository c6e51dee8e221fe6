"""Notifications: list, mark read, delete."""

from __future__ import annotations

from bot.sandbox.astravue_api.base import ApiBase, Call
from bot.sandbox.astravue_api.requests import JSON, query_bool, query_choice


class NotificationEndpoints(ApiBase):
    """/v1/notifications."""

    async def list_notifications(self, call: Call) -> object:
        kind = query_choice(call.query, "type", ("NOTIFICATION", "MENTION"), "")
        read = query_bool(call.query, "read")
        found = [
            n
            for n in self.state.notifications_for(call.actor_id)
            if (read is None or n.read == read)
            and (not kind or (n.type == "mention") == (kind == "MENTION"))
        ]
        if self.dialect.oldest_first:
            found.reverse()
        return self._array(found, self.render.notification, call)

    async def mark_notifications_read(self, call: Call) -> JSON:
        ids, mark_all = call.body.ids("notificationIds"), call.body.boolean("markAll")
        call.body.check()
        # No ids (or markAll) marks everything, as the operation's description says.
        changed = self.state.mark_notifications_read(
            call.actor_id, None if mark_all or not ids else ids
        )
        return {"updatedCount": len(changed), "notificationIds": changed}

    async def delete_notifications(self, call: Call) -> JSON:
        ids = call.body.ids("notificationIds", required=True)
        call.body.check()
        deleted = self.state.delete_notifications(call.actor_id, ids or [])
        return {"deletedCount": len(deleted), "notificationIds": deleted}
