"""French-friendly search text: accents folded, lower case, stop words
dropped, words reduced to their Snowball stem, so that "Vélos" and "velo",
"pistes cyclables" and "piste cyclable" meet."""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Short French and English words that say nothing about an idea.
STOP_WORDS = frozenset(
    """
a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me
meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
vos votre vous c d j l m n s t y est sont etre avoir ete plus tres tout tous toute toutes faire fait afin
the of and to in for on with is are be an or by at it this that from as
""".split()
)


def fold(text: str) -> str:
    """Lower case without accents ("Élan vélo" -> "elan velo")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("œ", "oe").replace("æ", "ae")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


_LETTERS = re.compile(r"[^\W_]+")


def _plural_free(stem: str) -> str:
    # The Snowball stemmer leaves short plurals alone ("vélos", "jeux").
    return stem[:-1] if len(stem) > 3 and stem[-1] in "sx" else stem


def stems(text: str) -> list[str]:
    """The stems of the meaningful words of `text`, in order. Stemmed with
    their accents (the French stemmer expects them), then folded."""
    words = [
        w for w in _LETTERS.findall((text or "").lower()) if fold(w) not in STOP_WORDS and (len(w) > 1 or w.isdigit())
    ]
    return [_plural_free(fold(stem)) for stem in _stemmer().stemWords(words)]


def search_text(*parts: str) -> str:
    """What Proposal.search_text stores: unique stems framed by spaces, so
    that `contains(" velo")` matches a word from its start."""
    seen = dict.fromkeys(stem for part in parts for stem in stems(part))
    return " " + " ".join(seen) + " " if seen else ""
