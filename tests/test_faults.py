"""File-system faults and zip limits: a vanishing, unreadable, FIFO or device 'x.docx', a full
disk; what is inflated is bounded, parts never used are never inflated."""
from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path

import pytest

import make_hostile
from consult.errors import InputError, OutputError
from consult.ooxml import package as package_module
from consult.ooxml.package import Limits, Package, write_atomic

MB = make_hostile.MB


@pytest.fixture(scope="module")
def base() -> bytes:
    return make_hostile.base_docx()


def test_fifo_named_docx_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "x.docx"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        Package.open(fifo)
    assert str(caught.value) == f"{fifo}: is a named pipe (FIFO), not a .docx file; it was not read."


def test_device_named_docx_is_refused(tmp_path: Path) -> None:
    device = tmp_path / "null.docx"
    device.symlink_to("/dev/null")
    with pytest.raises(InputError) as caught:
        Package.open(device)
    assert str(caught.value) == f"{device}: is a character device, not a .docx file; it was not read."


def test_vanished_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        Package.open(tmp_path / "gone.docx")
    assert str(caught.value) == (f"{tmp_path / 'gone.docx'}: file not found (it may have been "
                                 "moved or deleted).")


def test_unreadable_file_injected(tmp_path: Path, base: bytes, monkeypatch) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(base)
    real_open = os.open

    def refuse(p, *a, **k):
        if str(p) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(p))
        return real_open(p, *a, **k)
    monkeypatch.setattr(package_module.os, "open", refuse)
    with pytest.raises(InputError) as caught:
        Package.open(path)
    assert str(caught.value) == (f"{path}: cannot be read (Permission denied). Check that the "
                                 "file is not open elsewhere and that you may read it.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode "
                    "(test_unreadable_file_injected covers it)")
def test_unreadable_file_chmod(tmp_path: Path, base: bytes) -> None:
    path = tmp_path / "locked.docx"
    path.write_bytes(base)
    path.chmod(0)
    try:
        with pytest.raises(InputError) as caught:
            Package.open(path)
    finally:
        path.chmod(0o644)
    assert "cannot be read (Permission denied)" in str(caught.value)


def test_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(package_module.os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path / "c.docx", b"data")
    assert str(caught.value) == f"{tmp_path / 'c.docx'}: cannot be written (No space left on device)."
    assert list(tmp_path.iterdir()) == []


def _inflated(monkeypatch) -> list[str]:
    names: list[str] = []
    real = package_module._read_part

    def spy(path, z, info, most, limits):
        names.append(info.filename)
        return real(path, z, info, most, limits)
    monkeypatch.setattr(package_module, "_read_part", spy)
    return names


def test_parts_never_used_are_never_inflated(base: bytes, monkeypatch) -> None:
    data = make_hostile.squeezable(base, "word/media/image1.emf", 1_300_000, 822, b"\x01\0\0\0")
    names = _inflated(monkeypatch)
    pkg = Package.from_bytes("x.docx", data)
    pkg.xml(pkg.main)
    assert "word/media/image1.emf" in pkg.parts and "word/media/image1.emf" not in names


@pytest.mark.parametrize("name,size,ratio,head,tail", [
    ("word/media/image1.emf", 1_300_000, 822, b"\x01\0\0\0", b""),
    ("docProps/app.xml", 47 * MB, 682, b"<Properties><!--", b"--></Properties>")])
def test_real_files_that_compress_very_well_are_read_and_written_back(
        base: bytes, name: str, size: int, ratio: int, head: bytes, tail: bytes) -> None:
    data = make_hostile.squeezable(base, name, size, ratio, head, tail)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    assert info.file_size / info.compress_size > 600          # the old limit was 200
    pkg = Package.from_bytes("real.docx", data)
    pkg.xml(pkg.main)
    again = zipfile.ZipFile(io.BytesIO(pkg.to_bytes()))        # inflated when written
    assert again.read(name) == zipfile.ZipFile(io.BytesIO(data)).read(name)


def test_total_inflated_is_bounded_across_parts(base: bytes) -> None:
    data = make_hostile.rezip(base, add=[(f"customXml/big{i}.xml", b"<a/>" + b" " * MB)
                                         for i in range(3)])
    pkg = Package.from_bytes("t.docx", data, Limits(max_total_bytes=2 * MB + 20_000))
    pkg.xml(pkg.main)                                          # small parts: fine
    with pytest.raises(InputError) as caught:
        for i in range(3):
            pkg.xml(f"customXml/big{i}.xml")
    assert "expands to more than 2,117,152 bytes (the limit); refused as a possible zip bomb" \
        in str(caught.value)


def test_a_huge_text_node_within_the_part_limit_is_read(base: bytes) -> None:
    pkg = Package.from_bytes("h.docx", make_hostile.huge_text_node(base, 12))
    assert len("".join(pkg.xml(pkg.main).itertext())) > 12 * MB
    with pytest.raises(InputError) as caught:
        small = Package.from_bytes("h.docx", make_hostile.huge_text_node(base, 12),
                                   Limits(max_part_bytes=11 * MB))
        small.xml(small.main)
    assert "zip bomb" in str(caught.value)


SLOW_SAVE = """
import sys, time
from pathlib import Path
import importlib
collate = importlib.import_module("consult.collate")
READY = Path(sys.argv[1])
def slow(self, out):
    out.write(b"part of the document")
    out.flush()
    READY.write_text("saving")
    time.sleep(600)
collate.Collation._copy = slow
from consult.cli import main
sys.argv = ["consult", "collate", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT"])
def test_a_signal_during_save_leaves_no_temporary_file(tmp_path: Path, signum: str) -> None:
    import signal
    import subprocess
    import sys
    import time
    from conftest import SAMPLE_DRAFT, SAMPLES
    ready, out = tmp_path / "ready", tmp_path / "out" / "c.docx"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_SAVE, str(ready), str(SAMPLE_DRAFT),
                             str(SAMPLES / "returns" / "Group 2.docx"), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            # a background shell ignores SIGINT; let the child see it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for _ in range(1200):                   # waiting for a state, not timing anything
            if ready.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), proc.communicate()
        assert [p.name for p in out.parent.iterdir()][0].endswith(".tmp")  # it is mid-save
        proc.send_signal(getattr(signal, signum))
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode != 0 and b"Traceback" not in err
    assert list(out.parent.iterdir()) == []
