"""The CSV round trip: export the queue, answer it in a spreadsheet, import it back."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assistants.faq_review import services as faq_review
from assistants.faq_review.csv_io import (
    CSV_EMPTY,
    CSV_HEADER_ONLY,
    ROW_CELLS,
    ROW_NO_ANSWER,
    ROW_NO_ASSISTANT,
    ROW_NO_QUESTION,
    ROW_REPEATED,
    ROW_UNKNOWN_ASSISTANT,
    ROW_UNKNOWN_QUESTION,
)
from assistants.jobs.models import Job
from assistants.models import Change
from tests.faq_review.conftest import HOURS, after_job, faq_of, job_report, patches
from tests.jobs.inline import run_queued_jobs

pytestmark = pytest.mark.django_db

HEADER = "assistant_id,assistant_name,question,answer,source,pending\n"


def export(client, **params) -> tuple[str, list[dict]]:
    response = client.get("/faq-review/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="faq-review-')
    raw = b"".join(response.streaming_content)
    text = raw.decode("utf-8")
    return text, list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def upload(client, content: bytes | str, name="answers.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post("/faq-review/import/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def apply(client, preview_response):
    """Apply the preview: the job it starts runs (as the worker would), then the import page
    the browser was sent to, with the job's result."""
    response = client.post(
        "/faq-review/import/apply/", {"token": preview_response.context["token"]}
    )
    if response.status_code != 302 or "job=" not in response["Location"]:
        return response
    return after_job(client, response)


@pytest.fixture
def dental(make_assistant):
    return make_assistant(
        "Dental", suggestions=[("Is there parking?", ""), ("Do you whiten teeth?", "Yes.")]
    )


# -- export -----------------------------------------------------------------------------------


def test_export_holds_the_current_filter(dental, make_assistant, viewer_client):
    make_assistant("Hotel", suggestions=[("Is breakfast included?", "")])
    text, rows = export(viewer_client, assistant=dental["id"])
    assert text.startswith("\ufeff" + HEADER.strip())
    assert [
        (r["assistant_name"], r["question"], r["answer"], r["source"], r["pending"]) for r in rows
    ] == [
        ("Dental", "Is there parking?", "", "ai", "yes"),
        ("Dental", "Do you whiten teeth?", "Yes.", "ai", "yes"),
    ]
    assert {r["assistant_id"] for r in rows} == {dental["id"]}
    _, everything = export(viewer_client, status="all")
    assert len(everything) == 5


def test_export_neutralises_formulas_and_keeps_newlines(make_assistant, viewer_client):
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"]
    make_assistant(
        "=cmd|' /C calc'!A0",
        suggestions=[(q, "") for q in hostile] + [("Multi-line?", 'Line one,\nline "two"; three')],
    )
    text, rows = export(viewer_client)
    assert [r["question"] for r in rows[:4]] == ["'" + q for q in hostile]
    assert rows[0]["assistant_name"] == "'=cmd|' /C calc'!A0"
    assert rows[4]["answer"] == 'Line one,\nline "two"; three'
    for line in text.splitlines():
        for cell in next(csv.reader([line])) if line else []:
            assert not cell.startswith(("=", "+", "-", "@")), cell


# -- import: good files -----------------------------------------------------------------------


def test_a_round_trip_previews_then_applies_per_assistant(
    dental, make_assistant, revox, editor_client, editor
):
    hotel = make_assistant("Hotel", suggestions=[("Is breakfast included?", "")])
    _, rows = export(editor_client)
    answers = {"Is there parking?": "Yes, free.", "Is breakfast included?": "Yes,\n7 to 10."}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "answer": answers.get(row["question"], row["answer"])})
    revox.clear_requests()

    preview = upload(editor_client, "\ufeff" + out.getvalue())

    assert preview.status_code == 200
    result = preview.context["preview"]
    assert result.change_count == 2  # the AI draft "Yes." left as it is stays a draft
    assert result.unchanged == 1
    assert {name: len(c) for _, name, c in result.by_assistant()} == {"Dental": 1, "Hotel": 1}
    page = preview.content.decode()
    assert "Preview of answers.csv" in page and "Save 2 answers to Revox" in page
    assert revox.requests("PATCH") == []  # nothing written before confirmation

    done = apply(editor_client, preview)

    assert done.status_code == 200
    assert "Save 2 FAQ answers in 2 assistants (from answers.csv)" in done.content.decode()
    assert {i.label: i.detail["applied"] for i in job_report(done)} == {
        "Dental": [["answered", "Is there parking?"]],
        "Hotel": [["answered", "Is breakfast included?"]],
    }
    assert faq_of(revox, dental["id"])[1:] == [
        ("Is there parking?", "Yes, free.", False),
        ("Do you whiten teeth?", "", True),  # still waiting (Revox can't keep its draft)
    ]
    assert faq_of(revox, hotel["id"])[1] == ("Is breakfast included?", "Yes,\n7 to 10.", False)
    assert len(patches(revox)) == 2
    assert Change.objects.filter(kind=Change.Kind.FAQ_REVIEW, actor=editor).count() == 2

    # The same file again: everything is already so; nothing to apply, nothing applied twice.
    again = upload(editor_client, "\ufeff" + out.getvalue())
    # The draft, blank in Revox, is kept by the dashboard: the file still matches it.
    assert again.context["preview"].change_count == 0
    assert again.context["preview"].unchanged == 3
    assert apply(editor_client, preview).status_code == 302  # the old preview can't be replayed


def test_semicolons_quoted_newlines_and_no_bom(dental, revox, editor_client):
    content = (
        "assistant_id;question;answer\r\n"
        f'{dental["id"]};Is there parking?;"Yes; behind\r\nthe building."\r\n'
    )
    preview = upload(editor_client, content)
    (change,) = preview.context["preview"].changes[dental["id"]]
    assert (change.line, change.after) == (2, "Yes; behind\nthe building.")
    apply(editor_client, preview)
    assert faq_of(revox, dental["id"])[1] == (
        "Is there parking?",
        "Yes; behind\nthe building.",
        False,
    )


def test_a_latin1_file_is_read_with_a_warning(make_assistant, revox, editor_client):
    vet = make_assistant("Clinique", suggestions=[("Où se garer ?", "")])
    content = (
        f"assistant_id,question,answer\n{vet['id']},Où se garer ?,Derrière la clinique.\n".encode(
            "latin-1"
        )
    )

    preview = upload(editor_client, content)

    assert preview.context["preview"].notice == faq_review.CSV_NOT_UTF8
    assert (
        "isn&#x27;t UTF-8" in preview.content.decode() or "isn't UTF-8" in preview.content.decode()
    )
    apply(editor_client, preview)
    assert faq_of(revox, vet["id"])[1] == ("Où se garer ?", "Derrière la clinique.", False)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", "\t"), ("utf-16", ","), ("utf-16-le", ","), ("utf-16-be", ";")],
    ids=["unicode text (BOM, tabs)", "BOM, commas", "little-endian, no BOM", "big-endian, no BOM"],
)
def test_a_utf16_file_is_read_as_a_spreadsheet_saved_it(
    make_assistant, revox, editor_client, encoding, delimiter
):
    vet = make_assistant("Clinique", suggestions=[("Où se garer ?", "")])
    lines = [
        ["assistant_id", "question", "answer"],
        [vet["id"], "Où se garer ?", "Derrière, à droite."],
    ]
    quoted = [[f'"{cell}"' if delimiter in cell else cell for cell in row] for row in lines]
    content = "\r\n".join(delimiter.join(row) for row in quoted).encode(encoding)

    preview = upload(editor_client, content)

    assert preview.status_code == 200, preview.content.decode()[:1500]
    assert not preview.context["preview"].notice
    (change,) = preview.context["preview"].changes[vet["id"]]
    assert change.after == "Derrière, à droite."
    apply(editor_client, preview)
    assert faq_of(revox, vet["id"])[1] == ("Où se garer ?", "Derrière, à droite.", False)


def test_pending_no_approves_a_draft_as_it_is(dental, revox, editor_client):
    content = (
        "assistant_id,question,answer,pending\n"
        f"{dental['id']},Do you whiten teeth?,Yes.,no\n"
        f"{dental['id']},Is there parking?,,yes\n"
    )
    preview = upload(editor_client, content)
    assert preview.context["preview"].change_count == 1
    apply(editor_client, preview)
    assert faq_of(revox, dental["id"])[2] == ("Do you whiten teeth?", "Yes.", False)


def test_an_answer_that_looks_like_a_formula_comes_back_as_text(
    make_assistant, revox, editor_client
):
    made = make_assistant("Dental", suggestions=[("What is 2+2?", "")])
    content = f"assistant_id,question,answer\n{made['id']},What is 2+2?,'=2+2\n"
    apply(editor_client, upload(editor_client, content))
    assert faq_of(revox, made["id"])[1] == ("What is 2+2?", "=2+2", False)


# -- import: malformed and hostile files --------------------------------------------------------


def test_malformed_rows_are_listed_with_their_reasons(dental, revox, editor_client):
    d = dental["id"]
    content = (
        HEADER
        + f"{d},Dental,Is there parking?,Yes.,ai,yes\n"  # line 2: fine
        + ",Dental,Is there parking?,Yes.,ai,yes\n"  # 3: no assistant
        + f"{d},Dental,,Yes.,ai,yes\n"  # 4: no question
        + f"{d},Dental,Do you whiten teeth?,,ai,yes\n"  # 5: empty answer
        + "nope,Nope,Is there parking?,Yes.,ai,yes\n"  # 6: unknown assistant
        + f"{d},Dental,Do you fly?,Yes.,ai,yes\n"  # 7: unknown question
        + f"{d},Dental,is there   PARKING?,Again.,ai,yes\n"  # 8: repeats line 2
        + f"{d},Dental,Is there parking?\n"  # 9: too few cells
        + f"{d},Dental,Is there parking?,Yes.,ai,yes,surprise\n"  # 10: too many
        + "\n"  # blank lines are ignored
    )

    preview = upload(editor_client, content)

    problems = [(p.line, p.reason) for p in preview.context["preview"].problems]
    assert problems == [
        (3, ROW_NO_ASSISTANT),
        (4, ROW_NO_QUESTION),
        (5, ROW_NO_ANSWER),
        # The id and the name between isolates: a reversing one cannot turn the words after it.
        (6, ROW_UNKNOWN_ASSISTANT.format(revox_id="\u2068nope\u2069")),
        (7, ROW_UNKNOWN_QUESTION.format(name="\u2068Dental\u2069")),
        (8, ROW_REPEATED.format(line=2)),
        (9, ROW_CELLS.format(found=3, expected=6)),
        (10, ROW_CELLS.format(found=7, expected=6)),
    ]
    assert preview.context["preview"].change_count == 1
    page = preview.content.decode()
    assert "Lines that can&#x27;t be used" in page or "Lines that can't be used" in page
    assert "has no such question" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", CSV_EMPTY),
        (b"   \r\n\r\n", CSV_EMPTY),
        (HEADER.encode(), CSV_HEADER_ONLY),
        (("\ufeff" + HEADER + ",,,,,\n").encode(), CSV_HEADER_ONLY),
        (b"question,answer\nWhat?,That.\n", "Missing: assistant_id"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "can't be read as CSV"),
        (
            b'assistant_id,question,answer\nx,"never closed\ny,z\n',
            "line 2: a quoted cell is never closed",
        ),
        (b'assistant_id,question,answer\nx,"closed"early,z\n', "line 2"),
    ],
)
def test_unusable_files_are_refused_with_a_message(dental, revox, editor_client, content, message):
    revox.clear_requests()
    response = upload(editor_client, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in e for e in errors), errors
    assert "preview" not in response.context or response.context.get("preview") is None
    assert revox.requests() == []


def test_a_10_mb_file_is_refused_with_the_limit(dental, editor_client):
    content = HEADER.encode() + b"x," * (5 * 1024 * 1024)
    response = upload(editor_client, content)
    (error,) = response.context["form"].errors["file"]
    assert "10.0\xa0MB" in error and "the limit is 2.0\xa0MB" in error


def test_the_limit_is_a_setting(dental, editor_client, settings):
    settings.FAQ_CSV_MAX_BYTES = 100
    response = upload(
        editor_client, HEADER + f"{dental['id']},Dental,Is there parking?,{'y' * 200},ai,yes\n"
    )
    assert "the limit is 100\xa0bytes" in response.context["form"].errors["file"][0]


def test_import_is_for_editors(viewer_client, editor_client):
    assert viewer_client.get("/faq-review/import/").status_code == 403
    assert viewer_client.post("/faq-review/import/apply/", {"token": "x"}).status_code == 403
    response = editor_client.post("/faq-review/import/apply/", {"token": "forged"})
    assert response.status_code == 302
    assert "expired" in editor_client.get(response["Location"]).content.decode()


def test_import_apply_gives_the_script_the_job_card(dental, revox, editor_client):
    preview = upload(
        editor_client, f"assistant_id,question,answer\n{dental['id']},Is there parking?,Yes.\n"
    )
    response = editor_client.post(
        "/faq-review/import/apply/", {"token": preview.context["token"]}, HTTP_HX_REQUEST="true"
    )
    job = Job.objects.get()
    assert f'id="job-{job.pk}"' in response.content.decode()
    assert faq_of(revox, dental["id"])[1] == ("Is there parking?", "", True)  # not yet: queued

    run_queued_jobs()

    card = editor_client.get(f"/jobs/{job.pk}/card/", HTTP_HX_REQUEST="true").content.decode()
    assert "1 answered" in card and "Dental" in card
    assert faq_of(revox, dental["id"])[1] == ("Is there parking?", "Yes.", False)
    assert HOURS["question"] == faq_of(revox, dental["id"])[0][0]
