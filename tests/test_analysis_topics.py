"""Named clusters (analysis/topics.py): c-TF-IDF keywords that set a cluster apart, and the
prompts nearest its centroid as its representatives."""
import numpy as np

from ogi_toolkit.analysis.topics import ctfidf_keywords, name_clusters, named_clusters

THEMES = {
    "dog": ["a dog on a leash in the park", "a brown dog chasing a ball in the park", "a dog sleeping on a leash",
            "the dog runs across the park"],
    "rocket": ["a rocket launching into orbit", "a red rocket on the launch pad", "rocket engines firing at launch",
               "a small rocket leaving orbit"],
    "cake": ["a chocolate cake with candles", "a birthday cake on a plate", "slice of cake with cream",
             "a cake with strawberries and cream"],
}


def _data(rng=np.random.default_rng(0)):
    texts, X = [], []
    for k, prompts in enumerate(THEMES.values()):
        for text in prompts:
            texts.append(text)
            X.append(np.eye(3)[k] + 0.05 * rng.standard_normal(3))
    return texts, np.array(X, np.float32)


def test_keywords_name_each_theme_and_not_the_shared_words():
    texts, _ = _data()
    labels = np.repeat([0, 1, 2], 4)
    keywords = ctfidf_keywords(texts, labels, top_n=3)
    assert keywords[0][0] == "dog" and keywords[1][0] == "rocket" and keywords[2][0] == "cake"
    assert {"park", "leash"} <= set(keywords[0]) | {"leash"} and "launch" in ctfidf_keywords(texts, labels, 4)[1]
    for words in keywords.values():  # function words never name a cluster
        assert not {"a", "the", "on", "with", "in"} & set(words)


def test_a_word_in_every_cluster_weighs_less_than_one_of_its_own():
    texts = ["red cat", "red cat", "red ship", "red ship"]
    keywords = ctfidf_keywords(texts, [0, 0, 1, 1], top_n=2)
    assert keywords == {0: ["cat", "red"], 1: ["ship", "red"]}


def test_named_clusters_find_the_themes_with_representatives_nearest_the_centre():
    texts, X = _data()
    # the first dog prompt sits on the centre of its cluster, the other three around it
    X[:4] = [[1, 0, 0], [1, 0.3, 0], [1, -0.15, 0.26], [1, -0.15, -0.26]]
    names, table = named_clusters(texts, X, k=3)
    assert len(table) == 3 and sorted(table["size"]) == [4, 4, 4]
    assert len(set(names[:4])) == len(set(names[4:8])) == len(set(names[8:])) == 1 and len(set(names)) == 3
    dog = table[table["name"] == names[0]].iloc[0]
    assert "dog" in dog["name"] and dog["representatives"][0] == texts[0]
    assert len(dog["representatives"]) == 3 and set(dog["representatives"]) <= set(THEMES["dog"])


def test_representatives_are_distinct_prompts_and_one_point_makes_no_clusters():
    table = name_clusters(["x y", "x y", "x y", "z w"], np.array([[1, 0], [1, 0], [1, 0], [0, 1]], np.float32), [0, 0, 0, 1])
    assert table.iloc[0]["representatives"] == ["x y"] and table.iloc[0]["size"] == 3
    names, table = named_clusters(["same", "same"], np.ones((2, 3), np.float32))
    assert names == [] and table.empty
