"""Group names are checked when the plan is made, not only when the returns come back: a group
named on several rows of a plan is one group with one pack, and names that differ only in case
or spacing are refused as a typo before any pack is written."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from consult.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DRAFT = ROOT / "samples" / "sen-policy-draft.docx"


def _run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _plan(tmp: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp / "plan.csv"
    path.write_text("group,sections\n" + "".join(f"{g},{s}\n" for g, s in rows),
                    encoding="utf-8")
    return path


def test_a_group_on_several_rows_gets_one_pack_with_all_its_sections(tmp_path):
    plan = _plan(tmp_path, [("Group 1", "1"), ("Group 2", "3"), ("Group 1", "2"),
                            ("Group 2", "4")])
    res = _run("allocate", DRAFT, "--plan", plan, "-o", tmp_path / "a.csv")
    assert res.exit_code == 0, res.output
    assert "to 2 groups" in res.output
    res = _run("distribute", DRAFT, "--allocation", tmp_path / "a.csv", "-o", tmp_path / "p")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "p").glob("*.docx")) == ["Group 1.docx",
                                                                      "Group 2.docx"]
    lines = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    assert [ln.split(",")[:2] for ln in lines[1:]] == [["Group 1", "1; 2"], ["Group 2", "3; 4"]]


def test_names_differing_only_in_case_are_refused_before_anything_is_written(tmp_path):
    plan = _plan(tmp_path, [("Group 1", "1"), ("group 1", "2")])
    res = _run("allocate", DRAFT, "--plan", plan, "-o", tmp_path / "a.csv")
    assert res.exit_code == 2
    assert ("'group 1' and 'Group 1' differ only in case or spacing; spell each group's name "
            "the same way.") in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "a.csv").exists()


def test_extra_spaces_in_a_name_are_the_same_group(tmp_path):
    plan = _plan(tmp_path, [("Group 1", "1"), ("Group  1 ", "2")])
    res = _run("allocate", DRAFT, "--plan", plan, "-o", tmp_path / "a.csv")
    assert res.exit_code == 0, res.output
    assert "to 1 group (" in res.output


def test_a_names_file_with_a_name_twice_or_in_two_cases_says_which(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("Oak\nAsh\nOak\n", encoding="utf-8")
    res = _run("allocate", DRAFT, "--groups", names, "-o", tmp_path / "a.csv")
    assert res.exit_code == 2
    assert "'Oak' is given twice" in res.output
    names.write_text("Oak\nAsh\nash\n", encoding="utf-8")
    res = _run("allocate", DRAFT, "--groups", names, "-o", tmp_path / "a.csv")
    assert res.exit_code == 2
    assert "'ash' and 'Ash' differ only in case or spacing" in res.output
