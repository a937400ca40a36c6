"""English agreement helpers: articles, plurals, number words, lists, clean punctuation.

Articles and plurals of known nouns come from a :class:`Lexicon`: the Object pool's records
("an hourglass", "a unicorn", "some rice", "mice") when a phrase starts (articles) or ends
(plurals) with a pool noun, and a phonetic heuristic with exceptions otherwise. Builders use
their pools' lexicon (``ctx.lexicon.a(phrase)``); templates use the filters (``{{ obj|a }}``,
``{{ obj|plural(n) }}``), which ask the lexicon the renderer is ``using`` (the sampler sets its
pools' lexicon around each render). Outside ``using``, and for the plain functions ``a``,
``plural`` and ``count_phrase``, the lexicon knows no pool nouns: the heuristic alone.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from typing import Iterable

__all__ = [
    "Lexicon", "using", "a", "the", "plural", "number_word", "count_phrase", "join_and", "join_or", "cap",
    "normalise", "FILTERS",
]


# --- articles ---------------------------------------------------------------------------

# Written with a vowel but said with a consonant sound ("a unicorn", "a one-eyed cat") ...
_A_PREFIXES = (
    "unic", "unif", "uniq", "unit", "univ", "union", "unis", "usa", "use", "usu", "uten", "uti", "uto",
    "ura", "ure", "uri", "uro", "eu", "ewe", "one", "once", "ufo", "ubiq", "uku", "ukr",
)
# ... and written with a consonant but said with a vowel sound ("an hour", "an honest").
_AN_PREFIXES = ("hour", "honest", "honou", "honor", "heir")
_LETTERS_SAID_WITH_VOWEL = set("aefhilmnorsx")  # "an LED", "an X-ray", "an MRI"


def _article(first_word: str) -> str:
    word = first_word.lower().lstrip("\"'“‘(")
    if not word:
        return "a"
    if word.startswith(_AN_PREFIXES):
        return "an"
    if word.startswith(_A_PREFIXES):
        return "a"
    raw = first_word.lstrip("\"'“‘(")
    # An acronym is read letter by letter: "an LED lamp", "a UFO" (handled above), "a TV".
    if len(raw) > 1 and raw.isupper() and raw.isalpha():
        return "an" if raw[0].lower() in _LETTERS_SAID_WITH_VOWEL else "a"
    if word[0].isdigit():
        return "an" if re.match(r"(8|11|18|80+)(\D|$)", word) else "a"
    return "an" if word[0] in "aeiou" else "a"


def the(phrase: str) -> str:
    phrase = str(phrase).strip()
    return phrase if phrase.lower().startswith("the ") else f"the {phrase}"


# --- plurals ----------------------------------------------------------------------------

_IRREGULAR = {
    "man": "men", "woman": "women", "child": "children", "person": "people", "mouse": "mice",
    "goose": "geese", "tooth": "teeth", "foot": "feet", "ox": "oxen", "louse": "lice",
    "die": "dice", "cactus": "cacti", "fungus": "fungi", "leaf": "leaves", "loaf": "loaves",
    "knife": "knives", "wife": "wives", "life": "lives", "wolf": "wolves", "calf": "calves",
    "half": "halves", "shelf": "shelves", "thief": "thieves", "elf": "elves", "scarf": "scarves",
    "hoof": "hooves", "potato": "potatoes", "tomato": "tomatoes", "hero": "heroes",
    "echo": "echoes", "volcano": "volcanoes", "mosquito": "mosquitoes", "torpedo": "torpedoes",
    "domino": "dominoes", "buffalo": "buffaloes", "index": "indices", "axis": "axes",
    "crisis": "crises", "analysis": "analyses", "phenomenon": "phenomena", "criterion": "criteria",
    "quiz": "quizzes",
}
_UNCHANGED = {"sheep", "deer", "fish", "species", "series", "aircraft", "moose", "bison", "salmon",
              "trout", "shrimp", "squid", "swine", "offspring", "spacecraft", "hovercraft", "headphones",
              "scissors", "glasses", "pants", "jeans", "trousers", "binoculars", "tongs", "pliers"}


def _plural_word(word: str) -> str:
    lower = word.lower()
    if lower in _UNCHANGED:
        return word
    if lower in _IRREGULAR:
        plural_form = _IRREGULAR[lower]
        return plural_form.capitalize() if word[:1].isupper() else plural_form
    for singular, plural_form in (("man", "men"), ("woman", "women"), ("person", "people")):
        if lower.endswith(singular) and len(lower) > len(singular) + 2 and lower != "human":
            return word[: -len(singular)] + plural_form  # "fireman" -> "firemen"
    if re.search(r"(s|x|z|ch|sh)$", lower):
        return word + "es"
    if re.search(r"[^aeiou]y$", lower):
        return word[:-1] + "ies"
    return word + "s"


# --- numbers and lists ------------------------------------------------------------------

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def number_word(n: int) -> str:
    """``3`` -> ``"three"``; words up to twenty, digits beyond."""
    n = int(n)
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


# --- the lexicon ------------------------------------------------------------------------

class Lexicon:
    """Articles and plurals: of the nouns it was given (``(name, article, plural)``, None
    keeping the heuristic), and by the heuristic for every other phrase."""

    def __init__(self, entries: Iterable[tuple[str, str | None, str | None]] = ()):
        self._articles: dict[str, str] = {}  # name -> "a" / "an" / "some"
        self._plurals: dict[str, str] = {}  # name -> plural
        self._starts: dict[str, int] = {}  # first word of a name -> most words of a name it starts
        self._longest = 1  # longest name, in words: bounds the suffix look-ups of plurals
        for name, article, plural_form in entries:
            key = name.lower()
            if article:
                self._articles[key] = article
            if plural_form:
                self._plurals[key] = plural_form
            words = key.split()
            if words:
                self._longest = max(self._longest, len(words))
                self._starts[words[0]] = max(self._starts.get(words[0], 0), len(words))
        # Phrases repeat across a plan (pool names with a few qualifiers): memoised
        self._a_memo: dict[str, str] = {}
        self._plural_memo: dict[str, str] = {}

    @classmethod
    def of_pools(cls, pools) -> "Lexicon":
        """The Object pool's articles and plurals (none when the pools have no objects)."""
        objects = pools["objects"] if "objects" in pools.names() else ()
        return cls((o.name, getattr(o, "article", None), getattr(o, "plural", None)) for o in objects)

    def a(self, phrase: str) -> str:
        """``"apple"`` -> ``"an apple"``, ``"red apple"`` -> ``"a red apple"``, ``"hour"`` -> ``"an hour"``."""
        phrase = str(phrase).strip()
        found = self._a_memo.get(phrase)
        if found is None:
            found = self._a_memo[phrase] = self._article_phrase(phrase)
        return found

    def _article_phrase(self, phrase: str) -> str:
        if not phrase:
            return phrase
        words = phrase.split()
        # only names that start with this first word can match ("red mug": none starts with "red")
        longest = self._starts.get(words[0].lower(), 0)
        for size in range(min(longest, len(words)), 0, -1):
            article = self._articles.get(" ".join(words[:size]).lower())
            if article:
                return f"{article} {phrase}"
        return f"{_article(words[0])} {phrase}"

    def plural(self, noun: str, n: int = 2) -> str:
        """The form of ``noun`` for ``n`` items: ``plural("red apple")`` -> ``"red apples"``.

        A phrase ending in a known noun uses its plural ("pair of scissors" -> "pairs of
        scissors"); otherwise the last word is pluralised.
        """
        noun = str(noun).strip()
        if n == 1 or not noun:
            return noun
        found = self._plural_memo.get(noun)
        if found is None:
            found = self._plural_memo[noun] = self._plural_phrase(noun)
        return found

    def _plural_phrase(self, noun: str) -> str:
        words = noun.split()
        lower = [w.lower() for w in words]
        for size in range(min(self._longest, len(words)), 0, -1):
            plural_form = self._plurals.get(" ".join(lower[-size:]))
            if plural_form:
                return " ".join(words[:-size] + [plural_form])
        # "cup of tea" -> "cups of tea": the head of "X of Y" is X.
        if " of " in noun and len(words) >= 3:
            head, rest = noun.split(" of ", 1)
            return f"{self._plural_phrase(head)} of {rest}"
        return " ".join(words[:-1] + [_plural_word(words[-1])])

    def count_phrase(self, noun: str, n: int) -> str:
        """``("apple", 3)`` -> ``"three apples"``, ``("apple", 1)`` -> ``"one apple"``."""
        return f"{number_word(n)} {self.plural(noun, n)}"


HEURISTIC = Lexicon()  # no pool nouns
_USING: contextvars.ContextVar[Lexicon] = contextvars.ContextVar("lexicon", default=HEURISTIC)


@contextlib.contextmanager
def using(lexicon: Lexicon):
    """Within this block the template filters (and ``a``, ``plural``, ``count_phrase``) use
    ``lexicon``: what the sampler does around each render with its pools' lexicon."""
    token = _USING.set(lexicon)
    try:
        yield lexicon
    finally:
        _USING.reset(token)


def a(phrase: str) -> str:
    """``"apple"`` -> ``"an apple"`` (the lexicon in use: see :func:`using`)."""
    return _USING.get().a(phrase)


def plural(noun: str, n: int = 2) -> str:
    """``"red apple"`` -> ``"red apples"`` (the lexicon in use: see :func:`using`)."""
    return _USING.get().plural(noun, n)


def count_phrase(noun: str, n: int) -> str:
    """``("apple", 3)`` -> ``"three apples"`` (the lexicon in use: see :func:`using`)."""
    return _USING.get().count_phrase(noun, n)


def _join(items: Iterable[str], word: str) -> str:
    items = [str(i) for i in items if str(i).strip()]
    if len(items) <= 1:
        return items[0] if items else ""
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def join_and(items: Iterable[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    return _join(items, "and")


def join_or(items: Iterable[str]) -> str:
    return _join(items, "or")


def cap(text: str) -> str:
    """Capitalise the first letter only (``str.capitalize`` would lower the rest)."""
    text = str(text)
    first = text[:1]
    if first.isalpha():  # most texts: no scan, and no copy when it is a capital already
        return text if first.isupper() else first.upper() + text[1:]
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if ch not in "\"'“‘«(¿¡ ":
            return text
    return text


# --- whole-sentence clean-up ------------------------------------------------------------

# Quoted strings are the texts an image must show: never touched by the clean-up.
_QUOTED = re.compile(r'("[^"]*"|“[^”]*”|«[^»]*»|「[^」]*」|‘[^’]*’)')
_HAS_QUOTE = re.compile(r'["“«「‘]')
# Patterns start with a literal character (fast to scan); whitespace is collapsed first.
_SPACE_BEFORE_PUNCT = re.compile(r" ([,.;:!?)])")
_SPACE_AFTER_OPEN = re.compile(r"\( ")
_REPEATED_COMMA = re.compile(r",(?: ?,)+")
_NO_SPACE_AFTER_COMMA = re.compile(r",(?=[^\W\d])")  # "a,b" -> "a, b"; "1,000" is left alone
_COMMA_BEFORE_STOP = re.compile(r", ?([.;:!?])")
_REPEATED_STOP = re.compile(r"([.!?])(?: ?[.!?])+")
_END_MARKS = ".!?"
# Anything one of the fixes above would change, in one scan: most rendered text is clean.
# Every alternative starts with a literal, so the regex engine skips the other characters
# without trying the alternatives there (2x faster than starting one with [.!?]).
_NEEDS_FIX = re.compile(r" [,.;:!?)]|\( |,(?: ?,| ?[.;:!?]|(?=[^\W\d]))|\. ?[.!?]|! ?[.!?]|\? ?[.!?]")


def _clean_unquoted(part: str) -> str:
    if not part.strip():
        return " " if part else ""
    # Collapse whitespace, keeping one space where the part meets a quoted string. Nothing
    # to collapse when its only whitespace is single ASCII spaces (every other whitespace
    # character is unprintable).
    if not part.isprintable() or "  " in part:
        part = (" " if part[0].isspace() else "") + " ".join(part.split()) + (" " if part[-1].isspace() else "")
    if _NEEDS_FIX.search(part) is None:
        return part
    part = _SPACE_BEFORE_PUNCT.sub(r"\1", part)
    part = _SPACE_AFTER_OPEN.sub("(", part)
    part = _REPEATED_COMMA.sub(",", part)
    part = _NO_SPACE_AFTER_COMMA.sub(", ", part)
    part = _COMMA_BEFORE_STOP.sub(r"\1", part)
    return _REPEATED_STOP.sub(r"\1", part)


def normalise(text: str) -> str:
    """One space between words, no space before punctuation, no doubled marks, a capital
    first letter and exactly one final punctuation mark. Quoted strings are left as written."""
    text = str(text).strip()
    if _HAS_QUOTE.search(text):
        out = "".join(p if i % 2 else _clean_unquoted(p) for i, p in enumerate(_QUOTED.split(text))).strip()
    else:
        out = _clean_unquoted(text).strip()
    out = out.strip(" ,;")
    if not out:
        return out
    if out[-1] not in _END_MARKS and not (out[-1] in "\"”»」’" and len(out) > 1 and out[-2] in _END_MARKS):
        out = out.rstrip(":") + "."
    return cap(out)


FILTERS = {
    "a": a, "the": the, "plural": plural, "number_word": number_word, "count_phrase": count_phrase,
    "join_and": join_and, "join_or": join_or, "cap": cap,
}
