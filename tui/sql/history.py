"""The queries run in this session, for stepping back and forth (F6 / F7)."""

from __future__ import annotations


class History:
    """Distinct consecutive queries; stepping past the newest returns the draft."""

    def __init__(self, limit: int = 200) -> None:
        self.items: list[str] = []
        self.limit = limit
        self.position: int | None = None  # None = editing a draft, not a history entry
        self.draft = ""

    def add(self, sql: str) -> None:
        sql = sql.strip()
        if sql and (not self.items or self.items[-1] != sql):
            self.items.append(sql)
            del self.items[: -self.limit]
        self.position = None

    def previous(self, current: str) -> str | None:
        if not self.items:
            return None
        if self.position is None:
            self.draft = current
            self.position = len(self.items) - 1
        elif self.position > 0:
            self.position -= 1
        else:
            return None
        return self.items[self.position]

    def next(self) -> str | None:
        if self.position is None:
            return None
        if self.position < len(self.items) - 1:
            self.position += 1
            return self.items[self.position]
        self.position = None
        return self.draft
