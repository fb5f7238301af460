"""Case details and completion from the form: `e` edits the details, `c` marks complete.

A details edit changes applicability at once on screen and is saved in a worker; if the
save fails the edit is undone on screen, so an unsaved edit never looks saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from tui.cases.details_modal import CaseDetailsModal, DetailsResult
from tui.common.case_model import CaseModel
from tui.common.key_buffer import hold_keys, release_keys
from tui.common.messages import CaseSaved, CaseSaveFailed
from tui.common.workers import PollsStore
from tui.form.saver import saver_for

if TYPE_CHECKING:
    from criteria.models import Framework


class DetailsEditing(PollsStore):
    """The details and completion half of the case form's state changes."""

    case_id: str
    model: CaseModel | None
    marked_complete: bool
    details_saving: int  # edits in flight: the store's details are older than ours
    details_saves = 0  # edits finished (saved or failed): a read begun before is stale

    @property
    def framework(self) -> Framework:
        return getattr(self.app, "framework", None) or self.store.framework

    def refresh_all(self) -> None:  # drawn by the form
        raise NotImplementedError

    def go_to(self, qid: str) -> None:  # the form moves the cursor
        raise NotImplementedError

    def open_questions(self) -> set[str]:
        """Applicable questions not answered yet (as the model stands now)."""
        assert self.model is not None
        return {q.id for q in self.model.order if self.model.is_open(q.id)}

    def honest_completion(self, before: set[str], why: str,
                          fields: dict[str, Any] | None = None) -> dict[str, Any]:
        """After a change: if it opened questions, go to the first of them, and if the
        case was marked complete, add the un-marking to `fields` (saved with the change,
        so the history keeps why) and say so. Returns `fields` (maybe with `_complete`)."""
        out = dict(fields or {})
        if self.model is None:
            return out
        new = self.open_questions() - before
        if new:
            self.go_to(min(new, key=self.model.index.__getitem__))
        if self.marked_complete and not self.model.complete_ready():
            answered, applicable = self.model.progress()
            out["_complete"] = "false"
            self.marked_complete = False
            self.notify(f"No longer complete: {why} leaves {applicable - answered} applicable "
                        "question(s) unanswered.", severity="warning", timeout=6)
        return out

    def action_edit_details(self) -> None:
        if self.model is None:
            release_keys(self.app)
            return
        hold_keys(self.app)
        modal = CaseDetailsModal(self.framework, self.model.kind, self.case_id,
                                 self.model.details)
        self.app.push_screen(modal, self._details_done)

    def _details_done(self, result: DetailsResult | None) -> None:
        if result is None or self.model is None:
            return
        changed = {k: v for k, v in result.values.items() if self.model.details.get(k) != v}
        if not changed:
            return
        before = {k: self.model.details.get(k) for k in changed}
        was_open = self.open_questions()
        self.model.details.update(changed)
        self.model.reevaluate()  # applicability follows the details at once
        labels = ", ".join(_label(self.framework, k) for k in changed)
        fields = self.honest_completion(was_open, f"the change to {labels}", changed)
        if "_complete" in fields:
            before["_complete"] = "true"
        self.refresh_all()
        self.save_details(fields, before)

    def save_details(self, fields: dict[str, Any], before: dict[str, Any] | None = None) -> None:
        self.details_saving += 1
        self._save_details(fields, before or {})

    @work(thread=True, exclusive=False, exit_on_error=False, group="save-case")
    def _save_details(self, fields: dict[str, Any], before: dict[str, Any]) -> None:
        assert self.model is not None
        try:
            receipt = self.store.save_case(self.inspection_id, self.case_id, fields,
                                           kind=self.model.kind)
            if receipt.path is not None:
                saver_for(self.app, self.store).own_fragments.add(receipt.path.name)
        except Exception as exc:
            self.post_message(CaseSaveFailed(self.case_id, str(exc), before))
            return
        self.post_message(CaseSaved(self.case_id, fields))

    def on_case_saved(self, message: CaseSaved) -> None:
        self.details_saving = max(0, self.details_saving - 1)
        self.details_saves += 1
        if "_complete" in message.fields and len(message.fields) > 1:
            self.notify("Case details saved; the case is marked not complete.", timeout=3)
        elif "_complete" in message.fields:
            self.marked_complete = message.fields["_complete"] == "true"
            self.notify("Marked complete." if self.marked_complete else "Marked not complete.")
        else:
            self.notify("Case details saved.", timeout=2)
        self.refresh_all()

    def on_case_save_failed(self, message: CaseSaveFailed) -> None:
        """Show the details as they are stored again: an unsaved edit must not look saved."""
        self.details_saving = max(0, self.details_saving - 1)
        self.details_saves += 1
        if self.model is not None and message.before:
            if "_complete" in message.before:
                self.marked_complete = message.before.pop("_complete") == "true"
            self.model.details.update(message.before)
            self.model.reevaluate()
            self.refresh_all()
        self.notify(f"Case details NOT saved (edit undone): {message.error}", severity="error",
                    timeout=8)

    def action_complete(self) -> None:
        if self.model is None:
            return
        if self.marked_complete:
            self.save_details({"_complete": "false"})
            return
        if not self.model.complete_ready():
            answered, applicable = self.model.progress()
            self.notify(f"{applicable - answered} applicable question(s) still unanswered.",
                        severity="warning")
            return
        self.save_details({"_complete": "true"})


def _label(framework: Framework, field: str) -> str:
    try:
        return framework.case_field(field).label
    except KeyError:
        return field
