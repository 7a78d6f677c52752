"""Never destroy a group's work, and always say what was done (issue 13): exact exit codes
and messages from the command line."""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_DRAFT, SAMPLES
from consult.cli import cli

RETURNS = SAMPLES / "returns"
ALLOCATION = RETURNS / "allocation.csv"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    for p in RETURNS.glob("*.docx"):
        shutil.copy(p, folder / p.name)
    return folder


def test_distribute_refuses_to_overwrite_marked_up_returns(returns: Path) -> None:
    before = {p.name: p.read_bytes() for p in returns.iterdir()}
    res = run("distribute", SAMPLE_DRAFT, "--allocation", ALLOCATION, "-o", returns)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == (
        f"Error: {returns} already holds Group 2.docx, Group 4.docx, Group 5.docx, which are "
        "not packs of this draft as consult wrote it (a group's marked-up return, or another "
        "draft's pack); nothing was written. Choose another folder, or use --force to replace "
        "them.")
    assert {p.name: p.read_bytes() for p in returns.iterdir()} == before
    res = run("distribute", SAMPLE_DRAFT, "--allocation", ALLOCATION, "-o", returns, "--force")
    assert res.exit_code == 0 and res.stdout.splitlines()[-1] == f"Wrote 7 packs into {returns}"


def test_distribute_again_replaces_its_own_untouched_packs(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    assert run("distribute", SAMPLE_DRAFT, "--allocation", ALLOCATION, "-o", packs).exit_code == 0
    res = run("distribute", SAMPLE_DRAFT, "--allocation", ALLOCATION, "-o", packs)
    assert res.exit_code == 0, res.output


def test_collate_output_that_is_not_a_collated_document_is_kept(tmp_path: Path) -> None:
    precious = tmp_path / "minutes.docx"
    shutil.copy(RETURNS / "Group 2.docx", precious)
    res = run("collate", SAMPLE_DRAFT, RETURNS, "-o", precious)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == (
        f"Error: {precious} exists and is a file consult did not write as a collated document; "
        "it was left as it is. Choose another name, or use --force to replace it.")
    assert precious.read_bytes() == (RETURNS / "Group 2.docx").read_bytes()


def test_allocate_output_that_is_not_an_allocation_is_kept(tmp_path: Path) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_text("name,phone\nAnn,123\n")
    res = run("allocate", SAMPLE_DRAFT, "--groups", 3, "-o", notes)
    assert res.exit_code == 2 and "notes.csv exists and is a file consult did not write as an " \
        "allocation" in res.stderr
    assert notes.read_text() == "name,phone\nAnn,123\n"


@pytest.mark.parametrize("given,looked", [
    ("empty", "folder {d}: 0 .docx files"),
    ("nothing-*.docx", "pattern '{d}' (0 matches): 0 .docx files"),
])
def test_zero_returns_is_a_failure_saying_what_was_looked_at(tmp_path, given, looked) -> None:
    (tmp_path / "empty").mkdir()
    target = tmp_path / given
    res = run("collate", SAMPLE_DRAFT, target, "-o", tmp_path / "c.docx")
    assert res.exit_code == 1
    assert res.stderr == (f"Error: no usable return: looked at {looked.format(d=target)}; "
                          "nothing was written.\n")
    assert not (tmp_path / "c.docx").exists()
    res = run("ingest", SAMPLE_DRAFT, target)
    assert res.exit_code == 1 and res.stdout == ""


def test_the_draft_as_the_only_return_is_recognised(tmp_path: Path) -> None:
    res = run("collate", SAMPLE_DRAFT, SAMPLE_DRAFT, "-o", tmp_path / "c.docx")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        f"Error: {SAMPLE_DRAFT}: is the draft itself, not a return; it was left out.",
        f"Error: no usable return: looked at {SAMPLE_DRAFT}: 1 .docx file, 1 rejected; "
        "nothing was written."]


def test_a_collated_document_fed_back_is_rejected(tmp_path: Path) -> None:
    col = tmp_path / "c.docx"
    assert run("collate", SAMPLE_DRAFT, RETURNS, "-o", col).exit_code == 0
    res = run("collate", SAMPLE_DRAFT, RETURNS, col, "-o", tmp_path / "c2.docx")
    assert res.exit_code == 3
    assert (f"Error: {col}: is a collated document written by consult, not a group's return; "
            "leave it out of the returns.") in res.stderr.splitlines()
    assert res.stdout.splitlines()[-1].startswith("Collated 6 groups;")


def test_unchanged_packs_are_not_returns(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    run("distribute", SAMPLE_DRAFT, "--allocation", ALLOCATION, "-o", packs)
    res = run("collate", SAMPLE_DRAFT, packs / "Group 1.docx", "-o", tmp_path / "c.docx")
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        f"Error: {packs / 'Group 1.docx'}: has no comments or changes (the pack as it was sent?)",
        f"Error: no usable return: looked at {packs / 'Group 1.docx'}: 1 .docx file, 1 "
        "rejected; nothing was written."]


def test_a_typo_in_the_allocation_is_caught_with_the_closest_match(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(ALLOCATION.read_text().replace("Group 3,", "Gorup 3,"))
    res = run("collate", SAMPLE_DRAFT, RETURNS, "--allocation", plan, "-o", tmp_path / "c.docx")
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == (
        f"Error: {plan}: Gorup 3: did you mean Group 3? (Group 3 response.docx is from Group 3, "
        "which plan.csv does not name; correct the name and run again)")
    assert not (tmp_path / "c.docx").exists()


def test_collate_closing_line_names_who_did_not_return(tmp_path: Path) -> None:
    res = run("collate", SAMPLE_DRAFT, RETURNS, "--allocation", ALLOCATION,
              "-o", tmp_path / "c.docx")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[-1] == (
        f"Collated 6 of 7 groups (Group 7 did not return); 2 conflicts; 0 unplaced; "
        f"wrote {tmp_path / 'c.docx'}")


def test_per_group_pages_is_honoured_or_says_what_is_left(tmp_path: Path) -> None:
    res = run("allocate", SAMPLE_DRAFT, "--groups", 4, "--per-group-pages", 3,
              "-o", tmp_path / "a.csv")
    assert res.exit_code == 0
    assert res.stderr.startswith("Warning: 4 groups reading about 3 pages each cannot cover the "
                                 "draft; sections not allocated: 3.5, 4, 4.1")
    rows = [ln.split(",") for ln in (tmp_path / "a.csv").read_text().splitlines()[1:]]
    for row in rows:
        first, _, last = row[-1].lstrip("~").partition("-")
        assert int(last or first) - int(first) + 1 <= 3


def test_a_level_the_draft_does_not_have_is_refused() -> None:
    res = run("split", SAMPLE_DRAFT, "--level", 3)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--level': {SAMPLE_DRAFT} has no headings at level 3 (its "
        "heading levels are 1, 2).")


def test_split_json_to_a_file_does_not_also_print_it(tmp_path: Path) -> None:
    res = run("split", SAMPLE_DRAFT, "--json", "-o", tmp_path / "s.json")
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr.startswith(f"Wrote {tmp_path / 's.json'}: 44 sections")


def test_diff_onto_an_input_refuses_before_printing(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    shutil.copy(SAMPLE_DRAFT, draft)
    res = run("diff", draft, SAMPLE_DRAFT, "-o", draft)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.splitlines()[-1] == (f"Error: output {str(draft)!r} is also an input; "
                                           "choose another name (inputs are never modified).")


def test_a_set_aside_duplicate_is_reported_once(returns: Path) -> None:
    old = returns / "Group 2 old.docx"
    shutil.copy(returns / "Group 2.docx", old)
    os.utime(old, (1_000_000_000, 1_000_000_000))
    res = run("collate", SAMPLE_DRAFT, returns, "-o", returns.parent / "c.docx")
    assert res.exit_code == 3
    lines = [ln for ln in res.stderr.splitlines() if "Group 2 old.docx" in ln]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {old}: superseded by the newer return")


def test_names_with_control_characters_and_bad_bytes_are_shown_safely(returns: Path) -> None:
    shutil.move(returns / "Group 2.docx", returns / "Group 2\x1b[31m.docx")
    bad = os.fsdecode(b"bad\xff\nname.docx")
    (returns / bad).write_bytes(b"not a zip")
    out = returns.parent / "c.docx"
    res = run("collate", SAMPLE_DRAFT, returns, "-o", out, "--report", returns.parent / "rep")
    assert res.exit_code == 3
    assert f"Error: {returns}/bad\ufffd\\nname.docx: is not a Word .docx file (not a zip " \
           "package)." in res.stderr
    assert "\x1b" not in res.output and "\udcff" not in res.output
    assert out.is_file() and (returns.parent / "rep" / "report.html").is_file()


def test_a_return_that_vanishes_before_it_is_read(returns: Path, monkeypatch) -> None:
    import importlib
    ingest_module = importlib.import_module("consult.ingest")
    real = ingest_module.Package.open
    gone = returns / "Group 4.docx"

    def vanish(path, limits):
        if Path(path) == gone:
            gone.unlink()
        return real(path, limits)
    monkeypatch.setattr(ingest_module.Package, "open", staticmethod(vanish))
    out = returns.parent / "c.docx"
    res = run("collate", SAMPLE_DRAFT, returns, "-o", out)
    assert res.exit_code == 3
    assert f"Error: {gone}: file not found (it may have been moved or deleted)." in \
        res.stderr.splitlines()
    assert out.is_file() and res.stdout.splitlines()[-1].startswith("Collated 5 groups;")


def test_a_fifo_among_the_returns_does_not_hang(returns: Path) -> None:
    os.mkfifo(returns / "x.docx")
    res = run("collate", SAMPLE_DRAFT, returns, "-o", returns.parent / "c.docx")
    assert res.exit_code == 3
    assert (f"Error: {returns / 'x.docx'}: is a named pipe (FIFO), not a .docx file; it was "
            "not read.") in res.stderr.splitlines()


def test_an_unreadable_returns_folder_injected(returns: Path, monkeypatch) -> None:
    real = Path.iterdir

    def locked(self):
        if self == returns:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "iterdir", locked)
    res = run("collate", SAMPLE_DRAFT, returns, "-o", returns.parent / "c.docx")
    assert res.exit_code == 1
    assert res.stderr == (f"Error: {returns}: cannot be read (Permission denied); check that "
                          "you may read it.\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode "
                    "(test_an_unreadable_returns_folder_injected covers it)")
def test_an_unreadable_returns_folder_chmod(returns: Path) -> None:
    returns.chmod(0)
    try:
        res = run("collate", SAMPLE_DRAFT, returns, "-o", returns.parent / "c.docx")
    finally:
        returns.chmod(0o755)
    assert res.exit_code == 1 and "cannot be read (Permission denied)" in res.stderr


def test_a_full_disk_is_one_line(tmp_path: Path, monkeypatch) -> None:
    from consult.ooxml import package as package_module

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(package_module.os, "fsync", full)
    out = tmp_path / "c.docx"
    res = run("collate", SAMPLE_DRAFT, RETURNS, "-o", out)
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == f"Error: {out}: cannot be written (No space left on device)."
    assert list(tmp_path.iterdir()) == []


def test_a_full_tmpdir_is_one_line(tmp_path: Path, monkeypatch) -> None:
    from consult import store

    def full(self, *a, **k):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(store.Buckets, "add", full)
    res = run("collate", SAMPLE_DRAFT, RETURNS, "-o", tmp_path / "c.docx")
    assert res.exit_code == 1
    assert res.stderr == ("Error: the temporary files could not be written (database or disk "
                          "is full); free some space or set TMPDIR to a folder with room, and "
                          "run again.\n")
    assert list(tmp_path.iterdir()) == []


def test_reports_that_cannot_be_written_are_named_and_the_document_kept(
        tmp_path: Path, monkeypatch) -> None:
    from consult import report
    from consult.errors import OutputError

    def fail(col, path, entries):
        raise OutputError(f"{path}: cannot be written (Read-only file system).")
    monkeypatch.setattr(report, "write_html", fail)
    out, rep = tmp_path / "c.docx", tmp_path / "rep"
    res = run("collate", SAMPLE_DRAFT, RETURNS, "-o", out, "--report", rep)
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == (
        f"Error: {out} was written, but not every report: {rep}/report.html could not be "
        f"written (Read-only file system); {rep}/report.csv, {rep}/report.md were written")
    assert out.is_file() and (rep / "report.csv").is_file() and (rep / "report.md").is_file()


def test_impossible_dates_are_dropped_with_a_warning(tmp_path: Path) -> None:
    import re
    import zipfile
    src, ret = RETURNS / "Group 2.docx", tmp_path / "Group 2.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(ret, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("word/document.xml", "word/comments.xml"):
                data = re.sub(rb'w:date="[^"]*"', b'w:date="2026-13-45T99:99:99Z"', data)
            zout.writestr(info, data)
    out = tmp_path / "c.docx"
    res = run("collate", SAMPLE_DRAFT, ret, "-o", out)
    assert res.exit_code == 0
    assert res.stderr.splitlines() == [
        f"Warning: {ret}: 6 changes had dates that do not exist (such as 2026-13-45T99:99:99Z); "
        "those dates were dropped",
        f"Warning: {ret}: 1 comments had dates that do not exist (such as "
        "2026-13-45T99:99:99Z); those dates were dropped"]
    with zipfile.ZipFile(out) as z:
        assert all(b"2026-13-45" not in z.read(n) for n in z.namelist())


def test_paragraphs_are_numbered_as_the_reports_number_them(tmp_path: Path) -> None:
    import csv
    import io
    import json
    res = run("ingest", SAMPLE_DRAFT, RETURNS / "Group 2.docx", "--json")
    places = {(e["text"], e["place"]["paragraph"], e["place"]["label"])
              for r in json.loads(res.stdout)["returns"] for e in r["placed"]}
    out, rep = tmp_path / "c.docx", tmp_path / "rep"
    run("collate", SAMPLE_DRAFT, RETURNS / "Group 2.docx", "-o", out, "--report", rep)
    rows = list(csv.DictReader(io.StringIO((rep / "report.csv").read_text(encoding="utf-8-sig"))))
    labels = {row["paragraph"] for row in rows if row["paragraph"]}
    assert labels and {label for _, _, label in places} <= labels
    assert all(n >= 1 for _, n, _ in places)
    text = run("ingest", SAMPLE_DRAFT, RETURNS / "Group 2.docx").stdout
    assert all(f"¶{label} " in text for _, _, label in places)


def test_the_draft_inside_the_returns_folder_is_named_and_left_out(returns: Path) -> None:
    draft = returns / "draft.docx"
    shutil.copy(SAMPLE_DRAFT, draft)
    res = run("collate", draft, returns, "-o", returns.parent / "c.docx")
    assert res.exit_code == 0
    assert (f"Warning: {draft}: is the draft itself, not a return; it was left out."
            in res.stderr.splitlines())


def test_diff_output_that_is_not_a_redline_is_kept(tmp_path: Path) -> None:
    precious, redline = tmp_path / "Group 2.docx", tmp_path / "redline.docx"
    shutil.copy(RETURNS / "Group 2.docx", precious)
    res = run("diff", SAMPLE_DRAFT, RETURNS / "Group 4.docx", "-o", precious)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.splitlines()[-1] == (
        f"Error: {precious} exists and is a file consult did not write as a redline; it was "
        "left as it is. Choose another name, or use --force to replace it.")
    assert precious.read_bytes() == (RETURNS / "Group 2.docx").read_bytes()
    for _ in range(2):                               # its own redline is replaced
        assert run("diff", SAMPLE_DRAFT, RETURNS / "Group 4.docx", "-o", redline).exit_code == 0


def test_levels_count_from_1_in_the_api_as_in_the_cli() -> None:
    import json
    from consult import load_draft
    from consult.errors import UsageError
    cli_ids = [s["id"] for s in json.loads(run("split", SAMPLE_DRAFT, "--level", 1,
                                                 "--json").stdout)["sections"]]
    assert [s.id for s in load_draft(SAMPLE_DRAFT, level=1).sections] == cli_ids
    with pytest.raises(UsageError):
        load_draft(SAMPLE_DRAFT, level=0)


def test_the_model_counts_levels_from_1_as_the_json_does() -> None:
    """``Draft.level`` and ``Section.level`` read as the CLI's --level and the JSON do."""
    import json
    from consult import load_draft
    for level in (1, 2):
        data = json.loads(run("split", SAMPLE_DRAFT, "--level", level, "--json").stdout)
        d = load_draft(SAMPLE_DRAFT, level=level)
        assert d.level == data["level"] == level
        assert [s.level for s in d.sections] == [s["level"] for s in data["sections"]]
        assert {s.level for s in d.sections if s.id != "0"} <= set(range(1, level + 1))
    assert load_draft(SAMPLE_DRAFT).level == json.loads(
        run("split", SAMPLE_DRAFT, "--json").stdout)["level"]
