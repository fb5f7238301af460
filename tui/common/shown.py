"""Text typed by someone else, shown to a person: control characters made visible.

A note, a case detail or a query may hold terminal control sequences (ESC ] 0;...BEL sets
a window title, ESC [ ... changes colours or moves the cursor): shown raw they would run
in the terminal of whoever reads them. Every place that puts stored text on a terminal
passes it through `visible` (the app; the CLI's terminal output: caseread/streams.py).
Stdlib only: the case list uses it before the store is imported.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and C1 controls (U+0080-U+009F)
CONTROL_PATTERN = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # Python re and RE2 (Arrow) alike
_CONTROL = re.compile(CONTROL_PATTERN)


def visible(text: str) -> str:
    """`text` with each control character shown as U+FFFD (nothing runs in a terminal)."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)
