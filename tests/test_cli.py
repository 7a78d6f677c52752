"""The command line: help for every command, data outputs, exit codes."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLE_DRAFT, SAMPLES
from wordcheck import schema_valid

from consult.cli import cli

COMMANDS = sorted(cli.commands)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    res = run(name, "--help")
    assert res.exit_code == 0
    assert "Example" in res.output and f"consult {name}" in res.output


def test_readme_lists_every_command_and_exit_codes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"consult {name}" in readme
    top = run("--help").output
    for code in ("0 all good", "1 failure", "2 usage error", "3 done but some inputs rejected"):
        assert code in top


def test_root_cli_py_starts_the_same_cli():
    res = subprocess.run([sys.executable, str(ROOT / "cli.py"), "--help"], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0 and "collate" in res.stdout


def test_split_json_and_csv(tmp_path):
    res = run("split", SAMPLE_DRAFT, "--json")
    data = json.loads(res.stdout)
    assert data["level"] == 2 and data["sections"][1]["id"] == "1"
    rows = list(csv.DictReader(io.StringIO(run("split", SAMPLE_DRAFT, "--csv").stdout)))
    assert [r["id"] for r in rows] == [s["id"] for s in data["sections"]]
    out = tmp_path / "sections.json"
    assert run("split", SAMPLE_DRAFT, "-o", out).exit_code == 0
    assert json.loads(out.read_text())["sections"] == data["sections"]


def test_split_bad_file_is_one_line_error(tmp_path):
    bad = tmp_path / "draft.docx"
    bad.write_text("not a document")
    res = run("split", bad)
    assert res.exit_code == 1
    assert res.stderr.strip().count("\n") == 0 and "draft.docx" in res.stderr
    assert "Traceback" not in res.stderr


def test_allocate_distribute_collate(tmp_path):
    alloc = tmp_path / "allocation.csv"
    res = run("allocate", SAMPLE_DRAFT, "--groups", 4, "-o", alloc)
    assert res.exit_code == 0, res.output
    schema_valid(tmp_path / "allocation-sheet.docx")
    res = run("distribute", SAMPLE_DRAFT, "--allocation", alloc, "-o", tmp_path / "packs")
    assert res.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [
        f"Group {n}.docx" for n in range(1, 5)]
    res = run("collate", SAMPLE_DRAFT, tmp_path / "packs", "-o", tmp_path / "c.docx",
              "--allocation", alloc, "--json")
    assert res.exit_code == 1 and "no usable return" in res.stderr   # unchanged packs
    res = run("collate", SAMPLE_DRAFT, *[SAMPLES / "returns" / f"Group {n}.docx" for n in (2, 4)],
              tmp_path / "packs" / "Group 1.docx", tmp_path / "packs" / "Group 3.docx",
              "-o", tmp_path / "c.docx", "--allocation", alloc, "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert [g["returned"] for g in summary["groups"]] == [True] * 4


def test_collate_with_only_bad_inputs_fails(tmp_path):
    (tmp_path / "a.docx").write_text("x")
    res = run("collate", SAMPLE_DRAFT, tmp_path / "a.docx", "-o", tmp_path / "c.docx")
    assert res.exit_code == 1 and not (tmp_path / "c.docx").exists()


def test_usage_errors_exit_2(tmp_path):
    assert run("allocate", SAMPLE_DRAFT).exit_code == 2
    assert run("allocate", SAMPLE_DRAFT, "--groups", 3, "--coverage", 5,
               "-o", tmp_path / "a.csv").exit_code == 2


def test_demo(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    res = run("demo", tmp_path / "demo")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "demo" / "collated.docx").is_file()
    assert "did not return: Group 7" in res.output
    assert (SAMPLES / "returns").is_dir()


def test_limits_can_be_raised_by_option(tmp_path):
    from make_hostile import build
    build(tmp_path)
    res = run("annotations", tmp_path / "bomb-small-limit.docx", "--max-part-mb", 1)
    assert res.exit_code == 1 and "zip bomb" in res.stderr
    assert run("annotations", tmp_path / "bomb-ratio.docx").exit_code == 0   # an image: never inflated
    res = run("annotations", tmp_path / "huge-text-node.docx", "--max-part-mb", 10)
    assert res.exit_code == 1 and "zip bomb" in res.stderr
    assert run("annotations", tmp_path / "huge-text-node.docx").exit_code == 0
    res = run("annotations", tmp_path / "many-entries.docx", "--max-entries", 50)
    assert res.exit_code == 1 and "limit 50" in res.stderr
    assert run("annotations", tmp_path / "many-entries.docx").exit_code == 0
