"""Broken and hostile input: one clear line naming the file; never a traceback, hang or leak."""
from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import make_hostile
from consult.errors import InputError
from consult.ooxml import package as package_module
from consult.ooxml.package import Limits, Package, parse_xml, xml_parser

CASES = make_hostile.cases()
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    make_hostile.build(folder)
    return folder


def read(path: Path, limits: Limits = Limits()) -> Package:
    """What every command does first: open the package and parse its main part."""
    package = Package.open(path, limits)
    package.xml(package.main)
    return package


@pytest.mark.parametrize("case", CASES, ids=[case.filename for case in CASES])
def test_case_reads_or_says_why_in_one_line(corpus: Path, case: make_hostile.Case) -> None:
    path = corpus / case.filename
    started = time.perf_counter()
    if case.expect is None:
        package = read(path, Limits(**case.limits))
        assert "council shall publish" in "".join(package.xml(package.main).itertext())
    else:
        with pytest.raises(InputError) as caught:
            read(path, Limits(**case.limits))
        message = str(caught.value)
        assert message.startswith(f"{path}: ")
        assert case.expect in message
        assert "\n" not in message and "root:" not in message
    assert time.perf_counter() - started < 2


def test_refusals_say_what_to_do(corpus: Path) -> None:
    for case in CASES:
        if case.expect is not None:
            with pytest.raises(InputError) as caught:
                read(corpus / case.filename, Limits(**case.limits))
            assert any(hint in caught.value.problem for hint in (
                "send it again", "sent again", "instead")), caught.value.problem


def test_external_entity_is_never_read_even_past_the_doctype_check() -> None:
    passwd = Path("/etc/passwd")
    if not passwd.is_file() or "root:" not in passwd.read_text():
        pytest.skip("needs /etc/passwd with a root: line as the canary")
    for body in (make_hostile.XXE, make_hostile.XXE_LATE):
        root = etree.fromstring(body, xml_parser())       # the parser alone, no DTD check
        assert "root:" not in etree.tostring(root, encoding="unicode")


def test_no_part_of_a_refused_file_leaks(corpus: Path) -> None:
    with zipfile.ZipFile(corpus / "xxe-late-doctype.docx") as z:
        for name in z.namelist():
            try:
                root = parse_xml(z.read(name), "xxe", name)
            except InputError as err:
                assert "root:" not in str(err)
            else:
                assert "root:" not in etree.tostring(root, encoding="unicode")


def test_entries_are_counted_before_zipfile_parses_them(
        corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object) -> None:
        raise AssertionError("zipfile was asked to parse the central directory")

    monkeypatch.setattr(package_module.zipfile, "ZipFile", never)
    with pytest.raises(InputError, match="zip entries"):
        Package.open(corpus / "many-entries.docx", Limits(max_entries=50))


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_depth_limit_can_be_lowered() -> None:
    parse_xml(nested(20), limits=Limits(max_xml_depth=20))
    with pytest.raises(InputError, match="more than 10 deep"):
        parse_xml(nested(20), "f.docx", "word/document.xml", Limits(max_xml_depth=10))


def test_depth_limit_can_be_raised_past_libxml2s_default() -> None:
    with pytest.raises(InputError, match="more than 256 deep"):
        parse_xml(nested(300), "f.docx", "word/document.xml")
    parse_xml(nested(300), limits=Limits(max_xml_depth=1000))
    with pytest.raises(InputError, match="more than 1000 deep"):
        parse_xml(nested(1500), "f.docx", "word/document.xml", Limits(max_xml_depth=1000))


# -- mutations of real files ---------------------------------------------------------------

def small_real_files() -> list[Path]:
    """The smallest file from each source in the shared corpus (five sources)."""
    if not REAL.is_dir():
        return []
    smallest: dict[str, Path] = {}
    for path in sorted(REAL.glob("*.docx"), key=lambda p: (p.stat().st_size, p.name)):
        smallest.setdefault(path.name.split("__")[0], path)
    return sorted(smallest.values())[:5]


SAMPLES = small_real_files()
needs_corpus = pytest.mark.skipif(not SAMPLES, reason=f"real corpus not found at {REAL}")


def rewrite(data: bytes, drop: str | None = None, change: dict[str, bytes] = {}) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != drop:
                dst.writestr(info, change.get(info.filename, src.read(info)))
    return out.getvalue()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file with one random kind of damage."""
    data = draw(st.sampled_from(SAMPLES or [None])).read_bytes()
    kind = draw(st.sampled_from(["flip", "overwrite", "truncate", "drop", "cut-xml",
                                 "garbage-xml"]))
    at = draw(st.integers(0, len(data) - 1))
    if kind == "flip":
        flips = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255)),
                              min_size=1, max_size=8))
        damaged = bytearray(data)
        for offset, mask in flips:
            damaged[offset] ^= mask
        return bytes(damaged)
    if kind == "overwrite":
        junk = draw(st.binary(min_size=1, max_size=64))
        return data[:at] + junk + data[at + len(junk):]
    if kind == "truncate":
        return data[:at]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    if kind == "drop":
        return rewrite(data, drop=draw(st.sampled_from(names)))
    name = draw(st.sampled_from([n for n in names if n.endswith((".xml", ".rels"))]))
    xml = zipfile.ZipFile(io.BytesIO(data)).read(name)
    cut = draw(st.integers(0, len(xml)))
    if kind == "cut-xml":
        return rewrite(data, change={name: xml[:cut]})
    garbage = draw(st.binary(min_size=1, max_size=32) | st.sampled_from(
        [b"<", b"&", b"]]>", b"<!DOCTYPE x>", b"</w:p>", b"\xff\xfe", b"\x00"]))
    return rewrite(data, change={name: xml[:cut] + garbage + xml[cut:]})


@needs_corpus
@settings(max_examples=60, deadline=2000, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutated())
def test_damaged_real_files_read_or_raise_input_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "return.docx"
        path.write_bytes(data)
        try:
            package = Package.open(path)
            for name in package.parts:
                if name.endswith((".xml", ".rels")):
                    package.xml(name)
        except InputError as err:
            assert str(err).startswith(f"{path}: ") and "\n" not in str(err)


@needs_corpus
def test_the_real_samples_read_undamaged() -> None:
    for path in SAMPLES:
        package = Package.open(path)
        assert package.main == "word/document.xml"
        for name in package.parts:
            if name.endswith((".xml", ".rels")):
                package.xml(name)
