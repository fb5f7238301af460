"""After the last open question, more answer keys do not silently re-answer it.

An answer moves the cursor to the next open question; once none is left the cursor stays
on the question just answered, and the next answer key of a burst (`yyyn` on the last
two questions) would replace that answer without a sign. So the question answered in
place takes no further answer key, with a notice saying why and what to do, until the
cursor moves (off it and back is a deliberate choice to change it) or `u` undoes it.
Ignoring beats moving the cursor past the end: the cursor stays on the answer just
given, the table needs no extra row, and an unseen key never changes a saved answer.
"""

from __future__ import annotations


class AnsweredInPlace:
    """The question answered where the cursor stayed, if the cursor has not moved since."""

    def __init__(self) -> None:
        self.qid: str | None = None

    def answered(self, qid: str) -> None:
        self.qid = qid

    def moved(self, qid: object) -> None:
        """The cursor is now on `qid` (None: forget, e.g. after an undo)."""
        if qid != self.qid:
            self.qid = None

    def notice(self, qid: str, shown: str) -> str | None:
        """Why an answer key on `qid` is ignored (None: it is not)."""
        if qid != self.qid:
            return None
        return (f"{qid} is answered ({shown}) and no question is open: key ignored. To "
                "change it move off and back, or u to undo; c marks the case complete.")
