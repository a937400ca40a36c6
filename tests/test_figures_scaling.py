"""The paper's data-scaling chart for a user's own CSV of (size, benchmark, score)."""
from __future__ import annotations

import pytest
from PIL import Image

from ogi_toolkit.cli import main
from ogi_toolkit.figures.scaling import load_scaling, scaling_chart

CSV = """size,benchmark,dimension,score
20k,GEdit-Bench,background,5.60
20k,GEdit-Bench,avg,5.50
30000,GEdit-Bench,background,6.80
30000,GEdit-Bench,avg,5.79
40k,GEdit-Bench,background,5.38
40k,GEdit-Bench,avg,5.43
20k,My-Bench,score,0.61
40k,My-Bench,score,0.66
"""


def test_one_panel_per_benchmark_one_bar_per_size_and_dimension(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(CSV)
    data = load_scaling(path)
    assert sorted(data["size"].unique()) == [20000, 30000, 40000]
    fig = scaling_chart(data)
    gedit, mine = fig.axes[:2]
    bars = {bar.get_gid(): bar.get_height() for bar in gedit.patches if bar.get_gid()}
    assert bars == {"20K:background": 5.6, "20K:avg": 5.5, "30K:background": 6.8, "30K:avg": 5.79,
                    "40K:background": 5.38, "40K:avg": 5.43}
    assert "best avg: 30K = 5.79" in gedit.get_title()
    assert {b.get_gid(): b.get_height() for b in mine.patches if b.get_gid()} == {"20K:score": 0.61, "40K:score": 0.66}
    assert "best score: 40K = 0.66" in mine.get_title()


@pytest.mark.parametrize("text,message", [
    ("size,score\n20k,1\n", "missing column(s) ['benchmark']"),
    ("size,benchmark,score\ntwenty,GEdit,1\n", "results.csv:2: size 'twenty'"),
    ("size,benchmark,score\n20k,GEdit,high\n", "results.csv:2:"),
    ("size,benchmark,score\n20k,GEdit,1\n20000,GEdit,2\n", "given more than once"),
])
def test_a_bad_file_gets_a_one_line_error(tmp_path, capsys, text, message):
    path = tmp_path / "results.csv"
    path.write_text(text)
    assert main(["figures", "--no-paper", "--scaling", str(path), "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_writes_the_chart(tmp_path, capsys):
    path = tmp_path / "my_results.csv"
    path.write_text(CSV)
    assert main(["figures", "--no-paper", "--scaling", str(path), "--out", str(tmp_path / "figures")]) == 0
    png = tmp_path / "figures" / "data_scaling_my_results.png"
    assert str(png) in capsys.readouterr().out
    with Image.open(png) as image:
        assert image.size[0] > 800 and image.size[1] > 400
