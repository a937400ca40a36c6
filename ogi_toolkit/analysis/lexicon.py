"""Load the bias lexicons (``lexicons/*.yaml``) and find their terms in a prompt."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["LEXICON_NAMES", "Lexicon", "load_lexicon", "person_nouns", "find_terms"]

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
LEXICON_NAMES = ("gender", "age", "ethnicity", "occupations")
# Words with inner hyphens or apostrophes stay one token: "dark-skinned", "middle-aged".
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
MAX_PHRASE = 3
PERSON_WINDOW = 3  # how many following words may hold the person noun ("a Black young woman")


@dataclass(frozen=True)
class Lexicon:
    name: str
    term_group: dict[tuple[str, ...], str]  # phrase as a token tuple -> group
    needs_person_after: frozenset[tuple[str, ...]]
    pronouns: frozenset[str]


def _phrase(term: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(term.lower()))


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> Lexicon:
    path = LEXICON_DIR / f"{name}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such lexicon; expected one of {LEXICON_NAMES}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = data.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise ValueError(f"{path}: expected a 'groups' mapping of group name -> list of terms")
    term_group: dict[tuple[str, ...], str] = {}
    for group, terms in groups.items():
        if not isinstance(terms, list):
            raise ValueError(f"{path}: group {group!r} must be a list of terms")
        for term in terms:
            phrase = _phrase(str(term))
            if not phrase or len(phrase) > MAX_PHRASE:
                raise ValueError(f"{path}: group {group!r}: term {term!r} must have 1-{MAX_PHRASE} words")
            if term_group.get(phrase, group) != group:
                raise ValueError(f"{path}: term {term!r} is in both {term_group[phrase]!r} and {group!r}")
            term_group[phrase] = group
    return Lexicon(name, term_group, frozenset(_phrase(t) for t in data.get("needs_person_after") or []),
                   frozenset(data.get("pronouns") or []))


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Single words naming people: gender, age and occupation terms other than pronouns."""
    words = set()
    for name in ("gender", "age", "occupations"):
        lex = load_lexicon(name)
        words.update(p[-1] for p in lex.term_group if p[-1] not in lex.pronouns)
    return frozenset(words | {w + "s" for w in words})


def _singular(word: str) -> list[str]:
    out = [word]
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s"):
        out.append(word[:-1])
    return out


def find_terms(text: str, lexicon: Lexicon, plurals: bool = False) -> list[tuple[str, str]]:
    """(group, term) for each match in ``text``, longest phrase first, left to right.

    ``plurals``: also match a final "s"/"es" the lexicon lists without (occupations).
    """
    toks = _TOKEN.findall(text.lower())
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        for size in range(min(MAX_PHRASE, len(toks) - i), 0, -1):
            phrase = tuple(toks[i:i + size])
            candidates = [phrase] if not plurals else [phrase[:-1] + (w,) for w in _singular(phrase[-1])]
            match = next((c for c in candidates if c in lexicon.term_group), None)
            if match is None:
                continue
            if match in lexicon.needs_person_after and not (set(toks[i + size:i + size + PERSON_WINDOW]) & person_nouns()):
                continue
            found.append((lexicon.term_group[match], " ".join(match)))
            i += size - 1
            break
        i += 1
    return found
