"""Read a CSV file into an all-text Arrow table, or say exactly what is wrong with it.

Row numbers are as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20
# The csv module's 128 KiB field limit broke the error path on long notes (issue 14);
# pyarrow reads fields of any size, so the fallback checks must too.
csv.field_size_limit(1 << 30)


class CsvProblem(Exception):
    """A CSV file that cannot be imported; the message names file, row and column."""

    def __init__(
        self,
        source: str,
        problem: str,
        row: int | None = None,
        column: str | None = None,
        more: int = 0,
    ) -> None:
        where = "".join(
            [f", row {row}" if row is not None else "", f", column {column}" if column else ""]
        )
        extra = f" (and {more} more row{'s' if more != 1 else ''} with problems)" if more else ""
        super().__init__(f"{source}{where}: {problem}{extra}; nothing imported")
        self.source, self.problem, self.row, self.column, self.more = (
            source,
            problem,
            row,
            column,
            more,
        )


def read_text_table(path: Path, required: list[str], optional: list[str] | None = None,
                    any_other: list[str] | None = None) -> pa.Table:
    """All columns as strings ("" for empty cells), header checked against the lists.

    `required` columns must be present; `optional` and `any_other` may be; anything
    else is an unknown column.
    """
    source = path.name
    header = _read_header(path)
    known = [*required, *(optional or []), *(any_other or [])]
    _check_header(source, header, required, known)
    try:
        table = pacsv.read_csv(
            path,
            # our (trimmed) names for the columns; the header line itself is skipped
            read_options=pacsv.ReadOptions(block_size=8 << 20, column_names=header,
                                           skip_rows=1),
            # notes typed in a spreadsheet may hold line breaks (quoted)
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _explain_arrow_error(path, exc) from exc
    if table.num_rows == 0:
        raise CsvProblem(source, "no rows after the header")
    return table


def _read_header(path: Path) -> list[str]:
    source = path.name
    try:
        with open(path, "rb") as f:
            first = f.readline(1 << 16)
    except OSError as exc:
        raise CsvProblem(source, f"cannot read the file: {exc.strerror}") from exc
    if not first.strip(b"\r\n\t " + _BOM):
        raise CsvProblem(source, "the file is empty (expected a header row)")
    if first.startswith(_BOM):
        first = first[len(_BOM):]
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise _encoding_problem(path) from None
    return [name.strip() for name in next(csv.reader(io.StringIO(text)))]


def _check_header(source: str, header: list[str], required: list[str], known: list[str]) -> None:
    for separator in (";", "\t"):
        if len(header) == 1 and separator in header[0]:
            raise CsvProblem(source, f"the columns are separated by {separator!r}, not commas: "
                             "save the file as CSV (comma separated)", row=1)
    seen: set[str] = set()
    for name in header:
        if not name:
            raise CsvProblem(source, "a column has no name", row=1)
        if name in seen:
            raise CsvProblem(source, "the column appears twice", row=1, column=name)
        seen.add(name)
        if name not in known:
            raise CsvProblem(
                source, f"unknown column (expected: {', '.join(known)})", row=1, column=name
            )
    missing = [name for name in required if name not in seen]
    if missing:
        raise CsvProblem(source, f"missing column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)}", row=1)


def _explain_arrow_error(path: Path, exc: pa.ArrowInvalid) -> CsvProblem:
    message = str(exc)
    if "UTF8" in message or "UTF-8" in message:
        return _encoding_problem(path)
    row = _first_ragged_row(path)
    if row is not None:
        return CsvProblem(path.name, f"expected {row[1]} columns, found {row[2]}", row=row[0])
    return CsvProblem(path.name, f"not a readable CSV file ({message.splitlines()[0]})")


def _encoding_problem(path: Path) -> CsvProblem:
    """Find the first byte that is not UTF-8 (only on the error path: reads the file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, newlines = 0, 0  # bytes and newlines before `chunk`
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            tail = decoder.getstate()[0]  # an unfinished character from the last chunk
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data = tail + chunk
                return CsvProblem(
                    path.name,
                    f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at byte offset "
                    f"{offset - len(tail) + exc.start}); save it as 'CSV UTF-8'",
                    row=newlines + data[: exc.start].count(b"\n") + 1,
                )
            offset += len(chunk)
            newlines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return CsvProblem(path.name, f"the file is not UTF-8 (it ends inside a character, "
                              f"byte offset {offset - 1}); save it as 'CSV UTF-8'",
                              row=newlines + 1)
    return CsvProblem(path.name, "the file is not UTF-8; save it as 'CSV UTF-8'")


def _first_ragged_row(path: Path) -> tuple[int, int, int] | None:
    """(row, expected columns, found columns) of the first row of the wrong width."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        width = len(next(reader, []))
        for number, row in enumerate(reader, start=2):
            if row and len(row) != width:
                return number, width, len(row)
    return None
