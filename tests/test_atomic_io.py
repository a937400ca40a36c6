"""The one atomic writer every layer uses: whole files or the old ones, umask permissions, orphans cleaned."""
from __future__ import annotations

import os

import pytest

from ogi_toolkit.atomic_io import atomic_path, atomic_write_bytes, atomic_write_chunks, remove_orphans


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write_bytes(target, b"old")

    def chunks():
        yield b"new, half"
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        atomic_write_chunks(target, chunks())
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "sub" / "f.bin", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "sub" / "f.bin").stat().st_mode & 0o777 == 0o644


def test_atomic_path_keeps_the_suffix_for_writers_that_pick_a_format_by_it(tmp_path):
    with atomic_path(tmp_path / "fig.png") as tmp:
        assert tmp.suffix == ".png" and tmp.parent == tmp_path and not tmp.exists()
        tmp.write_bytes(b"png")
    assert (tmp_path / "fig.png").read_bytes() == b"png"


def test_remove_orphans_deletes_only_temporaries(tmp_path):
    (tmp_path / "images" / "ab").mkdir(parents=True)
    (tmp_path / "images" / "ab" / ".tmp-123-x.png").write_bytes(b"half")
    (tmp_path / ".tmp-9-manifest.jsonl").write_bytes(b"half")
    (tmp_path / "images" / "ab" / "keep.png").write_bytes(b"whole")
    assert remove_orphans(tmp_path) == 2
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["keep.png"]
