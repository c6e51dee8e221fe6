"""Which notifications are new since the poller's cursor, whatever order the API lists them in.

Whether Astravue lists notifications newest or oldest first is not documented, so the order
is read from the first page, by creation time and then id:

- newest first (or one page only): read pages until one holds a notification already seen;
- oldest first, with `totalPages`: read from the last page backwards until one holds a
  notification already seen (the newest are at the end);
- oldest first without totals, or no clear order: read forward; the walk's own bounds
  (empty page, repeated page, page cap) end it.

What is new is decided by id (ids grow), never by position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.astravue.models import NotificationDto, NotificationOrder, page_order

if TYPE_CHECKING:
    from bot.astravue.client import AstravueClient


async def fetch_new(
    client: AstravueClient, cursor: int | None, *, page_size: int, max_pages: int
) -> list[NotificationDto]:
    """Notifications with an id above `cursor` (all, up to `max_pages` pages, when None),
    oldest first."""
    found: dict[int, NotificationDto] = {}

    def take(items: list[NotificationDto]) -> bool:
        """Keep the new ones; True when the page also held one already seen."""
        newer = [n for n in items if cursor is None or n.notification_id > cursor]
        found.update((n.notification_id, n) for n in newer)
        return len(newer) < len(items)

    order: NotificationOrder | None = None
    async for page in client.notifications.iter(size=page_size).pages():
        reached_seen = take(page.items)
        if page.number == 0:
            order = page_order(page.items)
            if order == "oldest first" and page.total_pages and page.has_next:
                for number in range(page.total_pages - 1, 0, -1)[: max_pages - 1]:
                    older = await client.notifications.page(page=number, size=page_size)
                    if not older.items or take(older.items):
                        break
                break
        if order != "oldest first" and (reached_seen or page.number + 1 >= max_pages):
            break
    return [found[key] for key in sorted(found)]
