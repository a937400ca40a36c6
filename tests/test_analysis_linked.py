"""`ogi analyse DATASET` links its projection to the dataset: each point's id, thumbnail and the
relative link to the gallery, the named cluster and the judge score class as colours, and the
id -> cluster table the gallery's cluster filter reads."""
import json

import pandas as pd
from gallery_fixtures import make_gallery_dataset

from ogi_toolkit.analysis import analyse
from tests.analysis_fixtures import analysis_cache  # noqa: F401


def test_the_projection_of_a_dataset_links_to_its_gallery(tmp_path, analysis_cache):  # noqa: F811
    make_gallery_dataset(tmp_path / "data", extra=40)
    summary = analyse(tmp_path / "data", tmp_path / "rep", images=False, cache_dir=analysis_cache)
    html = (tmp_path / "rep/figures/umap.html").read_text()
    P = json.loads(html.split("id='points'>")[1].split("</script>")[0])
    assert P["gallery"] == "../../data/gallery.html" and "edit-1" in P["id"]
    assert P["thumb"][P["id"].index("gen-1")] == "../../data/images/ge/gen.png"
    by = {c["name"]: c for c in P["colour_by"]}
    assert {"cluster", "judge", "judge score"} <= set(by)
    assert dict(zip(by["judge score"]["levels"], by["judge score"]["totals"])) == {"score >= 0.75": 1, "no score": 44}
    items = pd.read_csv(tmp_path / "rep/tables/item_clusters.csv")
    assert len(items) == 45 and set(items["cluster"]) == {c["name"] for c in summary["clusters"]}
    assert set(by["cluster"]["levels"]) == set(items["cluster"]) and not by["cluster"]["folded"]  # each its own colour
