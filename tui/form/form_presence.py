"""Presence in the case form: hold this form's lease while open, show who else has it.

"ALSO open by bob since 10:02" in the title while another process holds a lease on the
same case (store/presence.py); never blocks anything.
"""

from __future__ import annotations

from textual import work

from tui.common.presence import PresenceRead, lease_of, open_by
from tui.form.conflict_handling import ConflictHandling


class ShowsPresence(ConflictHandling):
    """The form's presence half (a base of CaseFormScreen)."""

    open_by: str

    def release_presence(self) -> None:
        lease = getattr(self.app, "presence_lease", None)
        if lease is not None:
            lease.release()  # one unlink: others see the case free at their next look

    @work(thread=True, exclusive=True, exit_on_error=False, group="presence")
    def _presence(self) -> None:
        """Hold (renew) this form's lease and read who else has the case open."""
        try:
            if self.is_attached:
                lease_of(self.app, self.store).hold(self.inspection_id, self.case_id)
            others = open_by(self.store, self.inspection_id).get(self.case_id, "")
        except Exception:  # presence is information only: never in the way
            return
        self.post_message(PresenceRead({self.case_id: others}))

    def on_presence_read(self, message: PresenceRead) -> None:
        found = message.open_by.get(self.case_id, "")
        if found != self.open_by:
            self.open_by = found
            self.refresh_all()
