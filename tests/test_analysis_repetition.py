import pandas as pd
import pytest

from ogi_toolkit.analysis import exact_duplicates, lexical_near_duplicates, near_duplicates, repeated_ngrams
from ogi_toolkit.analysis.repetition import semantic_near_duplicates, skeleton_repetition, skeletons
from ogi_toolkit.analysis.text import skeleton
from tests.analysis_fixtures import analysis_cache, embedder, geneval, geneval_sample, parti, parti_sample, parti_vectors  # noqa: F401


def test_exact_duplicates_count_items_repeating_an_earlier_one():
    df = pd.DataFrame({"text": ["a cat", "a dog", "a cat ", "a cat", "a dog", "a bird"]})
    table = exact_duplicates(df)
    assert table.to_dict("list") == {"text": ["a cat", "a dog"], "count": [3, 2], "rows": [[0, 2, 3], [1, 4]]}
    assert (table["count"] - 1).sum() == 3


def test_skeleton_masks_content_words_and_collapses_runs():
    assert skeleton("A photo of a red car and a blue dog") == "a _ of a _ and a _"
    assert skeleton("a photo of three purple umbrellas") == "a _ of _"
    assert skeleton("Put the bottle inside the box.") == "_ the _ inside the _"


def test_plans_use_template_id_as_the_skeleton():
    df = pd.DataFrame({"text": ["x one", "y two", "z three"], "template_id": ["t1", "t1", "t2"]})
    table = skeletons(df)
    assert table.attrs["source"] == "template_id"
    assert table.set_index("skeleton")["count"].to_dict() == {"t1": 2, "t2": 1}
    assert skeleton_repetition(df) == pytest.approx(1 / 3)


def test_repeated_ngrams_count_prompts_not_occurrences():
    texts = ["a photo of a cat", "a photo of a dog", "a photo of a photo of a cow"]
    top = repeated_ngrams(texts, n=(3,), top=2)
    # "a photo of" occurs 4 times but in 3 prompts; ties are broken alphabetically.
    assert top.to_dict("list") == {"ngram": ["a photo of", "photo of a"], "n": [3, 3], "prompts": [3, 3], "share": [1.0, 1.0]}


def test_lexical_near_duplicates_find_small_edits_only():
    base = "a wooden rowing boat drifting on a calm misty lake at sunrise with mountains behind it"
    texts = [base, base.replace("sunrise", "dawn"), "an astronaut riding a horse on the moon in a photorealistic style",
             base + " today", "three green apples on a white plate"]
    result = lexical_near_duplicates(texts, threshold=0.5)  # true Jaccards: 0.65, 0.93, 0.61; others 0
    assert set(zip(result.pairs.i, result.pairs.j)) == {(0, 1), (0, 3), (1, 3)}
    assert result.method == "minhash-lsh"
    assert result.clusters.iloc[0]["size"] == 3


def test_planted_duplicates_and_paraphrases_are_found(parti_sample, parti_vectors, embedder, tmp_path):
    base = parti_sample
    paraphrases = {
        "A brown dog is sleeping on a red sofa in the living room.": "A brown dog sleeps on a red couch in the living room.",
        "An old lighthouse standing on a rocky cliff during a storm.": "An old lighthouse stands on a rocky cliff in a storm.",
        "A bowl of ramen with a soft boiled egg and green onions.": "A bowl of ramen with a soft-boiled egg and spring onions.",
    }
    planted = list(paraphrases) + list(paraphrases.values()) + [base.text[5], base.text[17]]
    df = pd.concat([base, pd.DataFrame({"text": planted})], ignore_index=True)
    n = len(base)
    assert set(exact_duplicates(df)["text"]) >= {base.text[5].strip(), base.text[17].strip()}
    found = near_duplicates(df, embeddings=embedder.encode(df.text), threshold=0.9, cache_dir=tmp_path)
    pairs = set(zip(found.pairs.i, found.pairs.j))
    for k in range(3):
        assert (n + k, n + 3 + k) in pairs, planted[k]
    assert found.method == "exact"
    # Exact duplicates are not near-duplicate pairs: only distinct texts are paired.
    assert all(df.text[i].strip() != df.text[j].strip() for i, j in pairs)
    assert {n + 6, n + 7}.isdisjoint(found.pairs.i) and {n + 6, n + 7}.isdisjoint(found.pairs.j)


def test_near_duplicate_clusters_join_pairs_transitively(embedder):
    texts = ["a red apple on a table", "a red apple on the table", "a red apple on a wooden table",
             "a spaceship landing on mars", "a dog"]
    found = semantic_near_duplicates(texts, embedder.encode(texts), threshold=0.85, k=5)
    assert found.clusters.iloc[0]["rows"] == [0, 1, 2]
    assert len(found.clusters) == 1


def test_geneval_repeats_its_skeletons_far_more_than_partiprompts(parti_sample, geneval_sample):
    p, g = parti_sample, geneval_sample
    assert skeletons(g).attrs["source"] == "text"
    assert skeleton_repetition(g) > 0.9
    assert skeleton_repetition(g) > skeleton_repetition(p) + 0.3


def test_repeated_ngrams_top_is_the_number_of_rows_over_all_sizes():
    texts = [f"a photo of the children's encyclopedia page {k} on a table" for k in range(12)]
    top = repeated_ngrams(texts, n=(3, 4), top=10)
    assert len(top) == 10
    assert top["prompts"].tolist() == [12] * 10 and top["n"].tolist()[0] == 4  # ties: the longer n-gram first
    grams = repeated_ngrams(texts, n=(3,), top=50)["ngram"].tolist()
    assert "the children's encyclopedia" in grams and not any(" s " in f" {g} " for g in grams)  # apostrophe kept
