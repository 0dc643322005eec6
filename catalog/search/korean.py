"""Hangul arithmetic for search: syllables into jamo, 초성 (initial consonants), and distances on jamo.

A precomposed syllable is ``0xAC00 + (initial * 21 + medial) * 28 + final``. Shoppers type half-finished
syllables (노트ㅂ) and initials only (ㄴㅌㅂ), and their typos are usually one jamo (냉장구 for 냉장고), so
autocomplete compares jamo strings and "did you mean" measures edit distance on jamo, not on syllables.
"""

_FIRST, _LAST = 0xAC00, 0xD7A3
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
# A final cluster typed as two keys (ㄺ is ㄹ then ㄱ): decomposed so a half-typed prefix still matches.
_CLUSTERS = {"ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ"}
_CLUSTERS |= {"ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ"}
_COMPOUND_VOWELS = {"ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ"}
_KEYS = _CLUSTERS | _COMPOUND_VOWELS
# The compatibility jamo a keyboard produces for a lone consonant (ㄱ, U+3131) are the ones used above.


def is_syllable(char: str) -> bool:
    return _FIRST <= ord(char) <= _LAST


def is_initials(text: str) -> bool:
    """True for text typed as initial consonants only (ㄴㅌㅂ)."""
    return bool(text) and all(char in INITIALS for char in text)


def jamo(text: str) -> str:
    """Each syllable as the keys typed for it (노트북 -> ㄴㅗㅌㅡㅂㅜㄱ); other characters unchanged."""
    keys = []
    for char in text:
        if is_syllable(char):
            index = ord(char) - _FIRST
            initial, medial, final = index // 588, index % 588 // 28, index % 28
            keys.append(INITIALS[initial] + MEDIALS[medial] + FINALS[final])
        else:
            keys.append(char)
    return "".join(_KEYS.get(key, key) for key in "".join(keys))


def initials(text: str) -> str:
    """The 초성 of each syllable (노트북 -> ㄴㅌㅂ); other characters unchanged."""
    return "".join(INITIALS[(ord(char) - _FIRST) // 588] if is_syllable(char) else char for char in text)


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Levenshtein distance of two strings, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
