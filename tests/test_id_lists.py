"""`ogi subset --ids FILE` and `ogi filter --ids FILE`: an id list (as the UMAP page's lasso
saves it) keeps only the items it names; a list from another dataset is refused by name."""
import json

import pytest
from gallery_fixtures import make_gallery_dataset

from ogi_toolkit.cli import main
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.folder.id_list import read_id_list


@pytest.fixture
def data(tmp_path):
    make_gallery_dataset(tmp_path / "data", extra=30)
    return tmp_path / "data"


def _ids(folder):
    return sorted(r["id"] for r in read_manifest(folder))


def test_filter_keeps_only_the_listed_items_without_needing_checks(data, tmp_path):
    (data / "checks.jsonl").unlink()  # an id list alone needs no check results
    (tmp_path / "sel.txt").write_text("# lasso selection\nmore-003\n\nmore-010\ngen-1\n")
    assert main(["filter", str(data), "--out", str(tmp_path / "out"), "--ids", str(tmp_path / "sel.txt")]) == 0
    assert _ids(tmp_path / "out") == ["gen-1", "more-003", "more-010"]
    dropped = (tmp_path / "out" / "dropped.csv").read_text()
    assert "more-004,not in the id list" in dropped


def test_filter_ids_combine_with_the_other_conditions(data, tmp_path):
    (tmp_path / "sel.txt").write_text("edit-1\ngen-1\n")  # edit-1 failed a check
    assert main(["filter", str(data), "--out", str(tmp_path / "out"), "--ids", str(tmp_path / "sel.txt")]) == 0
    assert _ids(tmp_path / "out") == ["gen-1"]


def test_subset_draws_only_from_the_listed_items(data, tmp_path):
    chosen = [f"more-{k:03d}" for k in range(0, 30, 3)]
    (tmp_path / "sel.txt").write_text("\n".join(chosen) + "\n")
    assert main(["subset", str(data), "--sizes", "10", "--target", "dataset", "--out", str(tmp_path / "sub"), "--ids", str(tmp_path / "sel.txt")]) == 0
    folders = [p for p in (tmp_path / "sub").iterdir() if (p / "manifest.jsonl").exists()]
    # only listed items; the dataset's subtask shares give artistic_styles 9 of the 10 places
    assert len(folders) == 1 and set(_ids(folders[0])) <= set(chosen) and len(_ids(folders[0])) == 9


@pytest.mark.parametrize("command", ["filter", "subset"])
def test_an_unknown_id_or_missing_file_is_one_clear_error(data, tmp_path, capsys, command):
    (tmp_path / "sel.txt").write_text("gen-1\nfrom-another-dataset\n")
    extra = ["--sizes", "all"] if command == "subset" else []
    assert main([command, str(data), "--out", str(tmp_path / "o"), *extra, "--ids", str(tmp_path / "sel.txt")]) == 2
    assert "'from-another-dataset'" in capsys.readouterr().err and not (tmp_path / "o" / "manifest.jsonl").exists()
    assert main([command, str(data), "--out", str(tmp_path / "o2"), *extra, "--ids", str(tmp_path / "none.txt")]) == 2
    assert "none.txt: no such id list" in capsys.readouterr().err


def test_read_id_list_skips_comments_and_refuses_an_empty_list(tmp_path):
    (tmp_path / "a.txt").write_text("# nothing\n\n")
    with pytest.raises(ValueError, match="empty"):
        read_id_list(tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(" x \n#y\nz\n")
    assert read_id_list(tmp_path / "b.txt") == {"x", "z"}
