"""Errors the store raises; the CLI and TUI show their message as is."""


class StoreError(Exception):
    """The store cannot be opened or used as asked."""


class SaveError(StoreError):
    """A save did not become durable; nothing of it is visible to readers."""
