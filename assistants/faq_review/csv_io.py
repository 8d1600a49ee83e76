"""The CSV round trip: the export (formula cells neutralised) and the import, read into a preview
per assistant before anything is written. Hostile files get a message, never an error page."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from assistants import faq, snapshot
from assistants.faq import Action
from assistants.faq_review.selectors import QueueFilter, faq_items_filtered
from assistants.faq_review.services import CSV_NOT_UTF8
from assistants.models import Assistant, FaqItem

CSV_COLUMNS = ["assistant_id", "assistant_name", "question", "answer", "source", "pending"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


CSV_TOO_BIG = "This file is {size}; the limit is {limit}. Split it into smaller files, or export a narrower filter."


CSV_EMPTY = "The file is empty."


CSV_HEADER_ONLY = "The file has a header but no rows."


CSV_NO_HEADER = (
    "The first line must name the columns, with at least assistant_id, question and answer "
    "(as in the exported file). Missing: {missing}."
)


CSV_UNREADABLE = "This file can't be read as CSV: {error}."


CSV_OPEN_QUOTE = "a quoted cell is never closed"


ROW_CELLS = "Has {found} cells where the header has {expected}."


ROW_NO_ASSISTANT = "No assistant id."


ROW_NO_QUESTION = "No question."


ROW_NO_ANSWER = "The answer is empty, so nothing changes."


ROW_UNKNOWN_ASSISTANT = "No assistant has the id “{revox_id}”."


ROW_UNKNOWN_QUESTION = "“{name}” has no such question."


ROW_REPEATED = "Repeats line {line}: only the first is used."


def csv_max_bytes() -> int:
    return getattr(settings, "FAQ_CSV_MAX_BYTES", 2 * 1024 * 1024)


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with
    an apostrophe, which spreadsheets show as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    """Undo `neutralise` when the apostrophe came back in an imported file."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_export_lines(*, filters: QueueFilter) -> Iterator[str]:
    """The items matching the filter as CSV lines, streamed; a BOM first so that spreadsheet
    programs read the file as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    rows = (
        faq_items_filtered(filters)
        .order_by("assistant_id", "position")
        .values_list(
            "assistant__revox_id",
            "assistant__name",
            "question",
            "answer",
            "source",
            "needs_human_answer",
        )
    )
    for revox_id, name, question, answer, source, pending in rows.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                revox_id,
                neutralise(name),
                neutralise(question),
                neutralise(answer),
                source,
                "yes" if pending else "no",
            ]
        )


class CsvRefused(Exception):
    """The file as a whole can't be used; the message says why in plain words."""


@dataclass(frozen=True)
class ImportChange:
    line: int
    revox_id: str
    upstream_id: str
    question: str
    before: str
    after: str
    was_pending: bool


@dataclass(frozen=True)
class ImportProblem:
    line: int
    reason: str
    excerpt: str = ""


@dataclass
class ImportPreview:
    changes: dict[str, list[ImportChange]] = field(default_factory=dict)  # by assistant id
    names: dict[str, str] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    unchanged: int = 0
    notice: str = ""

    @property
    def change_count(self) -> int:
        return sum(len(c) for c in self.changes.values())

    def by_assistant(self) -> list[tuple[str, str, list[ImportChange]]]:
        return [(revox_id, self.names.get(revox_id, revox_id), changes)
                for revox_id, changes in self.changes.items()]  # fmt: skip

    def plan(self) -> dict[str, list[Action]]:
        return {
            revox_id: [Action(faq.ANSWER, c.upstream_id, c.question, c.after) for c in changes]
            for revox_id, changes in self.changes.items()
        }


def _utf16(raw: bytes) -> str | None:
    """The text of a UTF-16 file ("Unicode text" in some spreadsheet programs): with its byte
    order mark, or without one when every other byte of the start is NUL."""
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    else:
        start = raw[:200]
        if len(start) < 4 or len(start) % 2:
            return None
        if not any(start[1::2]) and all(start[0::2]):
            encoding = "utf-16-le"
        elif not any(start[0::2]) and all(start[1::2]):
            encoding = "utf-16-be"
        else:
            return None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode(raw: bytes) -> tuple[str, str]:
    text = _utf16(raw)
    if text is not None:
        return text, ""
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), CSV_NOT_UTF8
    except UnicodeDecodeError:
        return raw.decode("latin-1"), CSV_NOT_UTF8


def _delimiter(header_line: str) -> str:
    """Spreadsheets in many European locales write `;`, "Unicode text" files a tab; the rest
    `,`."""
    return max(",;\t", key=header_line.count) if header_line.strip() else ","


def _says_no(value: str) -> bool:
    return value.strip().lower() in ("no", "n", "false", "0", "non", "nein")


def _column(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().split())


def csv_read(upload) -> ImportPreview:
    """Read an uploaded CSV and compare it with the cache: what would change, per assistant,
    and each line that can't be used, with the reason. Writes nothing."""
    limit = csv_max_bytes()
    if upload.size > limit:
        raise CsvRefused(
            CSV_TOO_BIG.format(size=filesizeformat(upload.size), limit=filesizeformat(limit))
        )
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise CsvRefused(
            CSV_TOO_BIG.format(size=f"over {filesizeformat(limit)}", limit=filesizeformat(limit))
        )
    content, notice = _decode(raw)
    if not content.strip():
        raise CsvRefused(CSV_EMPTY)
    if "\x00" in content:
        raise CsvRefused(CSV_UNREADABLE.format(error="it contains binary data"))
    first_line = content.lstrip("\ufeff").splitlines()[0] if content.strip() else ""
    # Strict: a quote left open would otherwise swallow every line after it into one cell.
    reader = csv.reader(
        io.StringIO(content.lstrip("\ufeff"), newline=""),
        delimiter=_delimiter(first_line),
        strict=True,
    )
    records = []
    try:
        for record in reader:
            records.append((reader.line_num, record))
    except csv.Error as err:
        start = records[-1][0] + 1 if records else 1
        reason = CSV_OPEN_QUOTE if "end of data" in str(err) else str(err)
        raise CsvRefused(CSV_UNREADABLE.format(error=f"line {start}: {reason}")) from err
    # line_num counts physical lines read so far: a record's first line is the previous
    # record's end + 1 (quoted cells may span lines).
    numbered, previous_end = [], 0
    for end, record in records:
        numbered.append((previous_end + 1, record))
        previous_end = end
    _, header = numbered[0]
    columns = [_column(name) for name in header]
    missing = [name for name in ("assistant_id", "question", "answer") if name not in columns]
    if missing:
        raise CsvRefused(CSV_NO_HEADER.format(missing=", ".join(missing)))
    at = {name: columns.index(name) for name in ("assistant_id", "question", "answer")}
    rows = [(line, record) for line, record in numbered[1:] if any(cell.strip() for cell in record)]
    if not rows:
        raise CsvRefused(CSV_HEADER_ONLY)

    preview = ImportPreview(notice=notice)
    wanted: list[tuple[int, str, str, str]] = []
    for line, record in rows:
        excerpt = ", ".join(record)[:120]
        extra = record[len(columns) :]
        if len(record) < len(columns) or any(cell.strip() for cell in extra):
            preview.problems.append(
                ImportProblem(
                    line, ROW_CELLS.format(found=len(record), expected=len(columns)), excerpt
                )
            )
            continue
        revox_id = record[at["assistant_id"]].strip()
        question = restore(record[at["question"]])
        answer = restore(record[at["answer"]]).replace("\r\n", "\n").replace("\r", "\n")
        if not revox_id:
            preview.problems.append(ImportProblem(line, ROW_NO_ASSISTANT, excerpt))
        elif not question.strip():
            preview.problems.append(ImportProblem(line, ROW_NO_QUESTION, excerpt))
        elif not answer.strip():
            preview.problems.append(ImportProblem(line, ROW_NO_ANSWER, excerpt))
        else:
            approve = "pending" in columns and _says_no(record[columns.index("pending")])
            wanted.append((line, revox_id, question, answer, approve))

    assistant_ids = sorted({revox_id for _, revox_id, _, _, _ in wanted})
    known: dict[str, tuple[int, str]] = {}
    for start in range(0, len(assistant_ids), 500):
        chunk = assistant_ids[start : start + 500]
        for pk, revox_id, name in Assistant.objects.filter(revox_id__in=chunk).values_list(
            "pk", "revox_id", "name"
        ):
            known[revox_id] = (pk, name)
    items: dict[tuple[str, str], tuple[str, str, str, bool]] = {}
    by_pk = {pk: revox_id for revox_id, (pk, _) in known.items()}
    pks = list(by_pk)
    for start in range(0, len(pks), 500):
        rows_in_cache = (
            FaqItem.objects.filter(assistant_id__in=pks[start : start + 500])
            .order_by("assistant_id", "position")
            .values_list("assistant_id", "upstream_id", "question", "answer", "needs_human_answer")
        )
        for pk, upstream_id, question, answer, pending in rows_in_cache:
            items.setdefault(
                (by_pk[pk], faq.question_key(question)), (upstream_id, question, answer, pending)
            )

    seen: dict[tuple[str, str], int] = {}
    for line, revox_id, question, answer, approve in wanted:
        excerpt = question[:120]
        if revox_id not in known:
            preview.problems.append(
                ImportProblem(
                    line,
                    ROW_UNKNOWN_ASSISTANT.format(revox_id=snapshot.isolated(revox_id[:64])),
                    excerpt,
                )
            )
            continue
        name = known[revox_id][1]
        key = (revox_id, faq.question_key(question))
        if key in seen:
            preview.problems.append(
                ImportProblem(line, ROW_REPEATED.format(line=seen[key]), excerpt)
            )
            continue
        seen[key] = line
        match = items.get(key)
        if match is None:
            preview.problems.append(
                ImportProblem(
                    line, ROW_UNKNOWN_QUESTION.format(name=snapshot.isolated(name)), excerpt
                )
            )
            continue
        upstream_id, stored_question, stored_answer, pending = match
        same = faq.lf(stored_answer) == answer
        # An AI draft exported and left as it is stays a draft: approving it takes a decision,
        # "no" in the pending column (or the queue's Approve).
        if same and (not pending or not approve):
            preview.unchanged += 1
            continue
        preview.names[revox_id] = name
        preview.changes.setdefault(revox_id, []).append(
            ImportChange(
                line, revox_id, upstream_id, stored_question, stored_answer, answer, pending
            )
        )
    preview.problems.sort(key=lambda p: p.line)
    return preview
