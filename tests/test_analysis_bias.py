import pandas as pd
import pytest

from ogi_toolkit.analysis import bias_report
from ogi_toolkit.analysis.bias import attribute_skew, term_matches
from ogi_toolkit.analysis.lexicon import find_terms, load_lexicon

SAMPLE = [
    "A female doctor talking to an old man in a hospital",   # female; elderly (old man); male (man); doctor
    "Two nurses and a surgeon, all women, in an operating room",  # nurse(s), surgeon; female (women)
    "A black cat sleeping on a white sofa",                  # colour words, not people: nothing
    "A Black woman working as an engineer",                   # ethnicity black; female; engineer
    "A Japanese garden with a stone lantern",                 # a place adjective, not a person: nothing
    "A portrait of a dark-skinned teenager reading",          # dark_skin; teenager
    "He is a firefighter; his daughter is a little girl",    # male x2 (he, his); female (daughter, girl); firefighter; child (little girl)
]


def _counts(report, lexicon):
    c = report.counts[report.counts.lexicon == lexicon].set_index("group")
    return c["prompts"].to_dict(), c["mentions"].to_dict()


def test_lexicon_counts_on_a_hand_checked_sample_are_exact():
    report = bias_report(pd.DataFrame({"text": SAMPLE}))
    assert _counts(report, "gender") == ({"female": 4, "male": 2}, {"female": 5, "male": 3})
    assert _counts(report, "age") == ({"elderly": 1, "teenager": 1, "child": 1}, {"elderly": 1, "teenager": 1, "child": 1})
    assert _counts(report, "ethnicity") == ({"black": 1, "dark_skin": 1}, {"black": 1, "dark_skin": 1})
    assert _counts(report, "occupations")[1] == {"occupation": 5}
    occupations = sorted(report.matches[report.matches.lexicon == "occupations"].term)
    assert occupations == ["doctor", "engineer", "firefighter", "nurse", "surgeon"]


def test_occupation_cooccurrence_pairs_roles_with_the_people_named_beside_them():
    report = bias_report(pd.DataFrame({"text": SAMPLE}))
    gender = report.cooccurrence[report.cooccurrence.lexicon == "gender"]
    pairs = {(r.occupation, r.group): r.prompts for r in gender.itertuples()}
    assert pairs == {("doctor", "female"): 1, ("doctor", "male"): 1, ("nurse", "female"): 1, ("surgeon", "female"): 1,
                     ("engineer", "female"): 1, ("firefighter", "male"): 1, ("firefighter", "female"): 1}


def test_colour_words_count_as_ethnicity_only_before_a_person_noun():
    lex = load_lexicon("ethnicity")
    assert find_terms("a white horse next to a black car", lex) == []
    assert find_terms("a white young man and a Black elderly woman", lex) == [("white", "white"), ("black", "black")]


def test_longest_phrase_wins():
    assert find_terms("an old man and a young woman", load_lexicon("age")) == [("elderly", "old man"), ("young_adult", "young woman")]
    assert term_matches(["three doctors"]).term.tolist() == ["doctor"]


def test_attribute_skew_against_pools():
    df = pd.DataFrame({"colours": [["red"], ["red", "blue"], ["red"], []], "style": ["ukiyo-e", "ukiyo-e", None, "pixel art"]})
    table = attribute_skew(df, pools={"colours": ["red", "blue", "green", "yellow"]})
    colours = table.loc["colours"]
    assert (colours["values"], colours["used"], colours["unused"]) == (4, 2, 2)
    assert colours["max_over_expected"] == pytest.approx(3 / (4 / 4))
    assert colours["against"] == "pool"
    assert table.loc["style", "against"] == "values seen" and table.loc["style", "most_used"] == "ukiyo-e"


def test_a_malformed_lexicon_names_the_file(tmp_path, monkeypatch):
    from ogi_toolkit.analysis import lexicon

    (tmp_path / "broken.yaml").write_text("groups: [not, a, mapping]\n")
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"broken\.yaml.*'groups' mapping"):
        lexicon.load_lexicon.__wrapped__("broken")
