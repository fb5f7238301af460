"""Read a CSV file into an all-text Arrow table, or say exactly what is wrong with it.

Row numbers are as a spreadsheet shows them: the header is row 1, the first data row 2,
a note holding line breaks is one row, and a blank line is a row too.

Two readers with one meaning. pyarrow reads a file without blank lines (fast: a million
rows in a fraction of a second); if it has quotes, only after Python's `csv` module in
strict mode has counted its rows and both agree (a quote that never closes fails that
count instead of swallowing the rest of the file). Any other file, or one pyarrow refuses,
is read by the strict `csv` module itself, which says exactly where a problem is.
Rows whose every cell is empty (Excel's trailing `,,,` rows, blank lines) are skipped and
counted in `TextTable.skipped`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .csvsafe import restore_column

_BOM = codecs.BOM_UTF8
# two line endings in a row (\r\n, \r or \n each): a blank line, which pyarrow would drop
# without a trace and so shift every later row number
_BLANK_LINE = re.compile(rb"\n\n|\n\r|\r\r")


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


@dataclass(frozen=True)
class TextTable:
    """The rows of a CSV file that hold something.

    `table`: one string column per header name ("" for empty cells); `rows`: int64, the
    spreadsheet row number of each table row; `skipped`: rows left out because every
    cell was empty. `records` = len(table) + skipped = every row below the header.
    """

    table: pa.Table
    rows: pa.Array
    skipped: int

    def row(self, index: int) -> int:
        """Spreadsheet row number of table row `index` (0-based)."""
        return int(self.rows[index].as_py())

    @property
    def records(self) -> int:
        return self.table.num_rows + self.skipped


def read_text_table(path: Path, required: list[str], optional: list[str] | None = None,
                    any_other: list[str] | None = None) -> TextTable:
    """All columns as strings, header checked against the lists.

    `required` columns must be present; `optional` and `any_other` may be; anything
    else is an unknown column. Raises CsvProblem naming row and column.
    """
    source = path.name
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block for ever
            raise CsvProblem(source, "not a regular file")
        data = path.read_bytes()
    except OSError as exc:
        raise CsvProblem(source, f"cannot read the file: {exc.strerror}") from exc
    header = _read_header(source, data)
    known = list(dict.fromkeys([*required, *(optional or []), *(any_other or [])]))
    _check_header(source, header, required, known)
    result = None
    if not _BLANK_LINE.search(data):
        quoted = b'"' in data
        records = _strict_records(data) if quoted else None
        if not quoted or records is not None:
            result = _read_fast(source, data, header, quoted, records)
    if result is None:
        result = _read_exact(source, data, header)
    if result.table.num_rows == 0:
        empty = f" ({result.skipped} empty rows)" if result.skipped else ""
        raise CsvProblem(source, f"no rows after the header{empty}")
    # `'=x` is how caseread's exports keep a spreadsheet from running `=x` (csvsafe.py)
    table = result.table
    return TextTable(pa.table([restore_column(c) for c in table.columns],
                              names=table.column_names), result.rows, result.skipped)


def _read_header(source: str, data: bytes) -> list[str]:
    if not data.strip(b"\r\n\t " + _BOM):
        raise CsvProblem(source, "the file is empty (expected a header row)")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(data[: 1 << 16])  # an unfinished last character waits
    except UnicodeDecodeError:
        raise _encoding_problem(source, data) from None
    # newline="": a header ended by \r alone (Excel for Mac) is still one line
    return [name.strip() for name in next(csv.reader(io.StringIO(text, newline="")))]


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


def _strict_records(data: bytes) -> int | None:
    """Rows in a file with quotes, counted by the strict `csv` reader (header included);
    None if it fails or meets a blank line: then only the exact reader can say where.

    About 1 s per million rows: five times cheaper than building the table in Python,
    and what makes pyarrow's reading of a quoted file trustworthy (a quote that never
    closes makes this fail instead of quietly swallowing the rows below it)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    count = 0
    try:
        with _no_field_limit(len(text)):
            for record in csv.reader(io.StringIO(text, newline=""), strict=True):
                if not record:
                    return None
                count += 1
    except csv.Error:
        return None
    return count


def _read_fast(source: str, data: bytes, header: list[str], quoted: bool = False,
               records: int | None = None) -> TextTable | None:
    """pyarrow's reader, for a file without blank lines: one line is one row, or with
    quotes (`quoted`), once the strict reader has counted its `records` (header included).

    None when pyarrow refuses the file (e.g. a row of the wrong width) or counts other
    rows than the strict reader: the exact reader then says where, with the same rules.
    """
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(block_size=8 << 20, column_names=header,
                                           skip_rows=1),
            # notes typed in a spreadsheet may hold line breaks (quoted)
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "UTF8" in message or "UTF-8" in message:
            raise _encoding_problem(source, data) from exc
        return None
    if records is not None and table.num_rows != records - 1:
        return None
    rows = pc.add(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), table.num_rows)), 1)
    empty = None
    for column in table.columns:
        blank = pc.equal(pc.utf8_trim_whitespace(column), "")
        empty = blank if empty is None else pc.and_(empty, blank)
    if empty is None or not pc.any(empty).as_py():
        return TextTable(table, rows, 0)
    keep = pc.invert(empty)
    skipped = int(pc.sum(pc.cast(empty, pa.int64())).as_py())
    return TextTable(table.filter(keep), pc.filter(rows, keep), skipped)


def _read_exact(source: str, data: bytes, header: list[str]) -> TextTable:
    """Python's csv module, strict: every row checked, row numbers exact."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _encoding_problem(source, data) from None
    with _no_field_limit(len(text)):  # a long note is a note (the 128 KiB default is not)
        return _parse_exact(source, text, header)


@contextlib.contextmanager
def _no_field_limit(size: int) -> Iterator[None]:
    """csv's field size limit lifted to `size` while reading (the limit is process-wide:
    put back afterwards)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _parse_exact(source: str, text: str, header: list[str]) -> TextTable:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: list[list[str]] = [[] for _ in header]
    numbers: list[int] = []
    row, skipped = 1, 0
    try:
        next(reader)
        for row, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                skipped += 1
                continue
            if len(record) != len(header):
                raise CsvProblem(source, f"expected {len(header)} columns, found {len(record)}",
                                 row=row)
            for cells, cell in zip(columns, record, strict=True):
                cells.append(cell)
            numbers.append(row)
    except csv.Error as exc:
        raise _quote_problem(source, text, header, exc) from None
    table = pa.table({name: pa.array(cells, pa.string())
                      for name, cells in zip(header, columns, strict=True)})
    return TextTable(table, pa.array(numbers, pa.int64()), skipped)


def _quote_problem(source: str, text: str, header: list[str], exc: csv.Error) -> CsvProblem:
    """Where the strict reader stopped: the row and column of the cell at fault.

    Read again leniently (error path only): up to the fault both readers agree, and the
    lenient one's last row is the one that failed. A quote that never closes makes its
    cell the last one of the file, so that cell's column is where the quote opened.
    """
    records = list(csv.reader(io.StringIO(text, newline=""), strict=False))
    message = str(exc)
    if "unexpected end of data" in message:
        last = records[-1]
        row = len(records)
        column = header[len(last) - 1] if 0 < len(last) <= len(header) else None
        return CsvProblem(source, "a quote opens here and never closes (it would take in "
                          "every line below it); close the quote or remove it",
                          row=row, column=column)
    row = _failed_row(text)
    return CsvProblem(source, "a quoted cell has text after its closing quote (inside a "
                      f'quoted cell write a quote as two: "") ({message})', row=row)


def _failed_row(text: str) -> int:
    """Spreadsheet row at which the strict reader fails."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    try:
        for row, _ in enumerate(reader, start=1):  # noqa: B007 - the count is the point
            pass
    except csv.Error:
        return row + 1
    return row  # pragma: no cover - only called after the strict reader failed


def _encoding_problem(source: str, data: bytes) -> CsvProblem:
    """Where the first byte that is not UTF-8 is (only on the error path)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            return CsvProblem(source, f"the file is not UTF-8 (it ends inside a character, "
                              f"byte offset {len(data) - 1}); save it as 'CSV UTF-8'",
                              row=_row_at(data.rstrip(b"\r\n")))
        return CsvProblem(
            source,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start}); save it as 'CSV UTF-8'",
            row=_row_at(data[: exc.start]),
        )
    return CsvProblem(source, "the file is not UTF-8; save it as 'CSV UTF-8'")


def _row_at(prefix: bytes) -> int:
    """Spreadsheet row of the byte right after `prefix` (valid UTF-8 up to there)."""
    text = prefix.decode("utf-8", errors="replace")
    with _no_field_limit(len(text)):
        rows = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    return rows + 1 if not text or text.endswith(("\n", "\r")) else rows
