"""The segment calculator against published vectors and the boundaries."""

from __future__ import annotations

import pytest

from tplsync.segments import Encoding, analyse, replacement, surely_within

DIGITS = "1234567890" * 40


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        # Twilio message-segment-calculator vectors (tests/index.test.js)
        ("{" + DIGITS[1:159], Encoding.GSM7, 160, 1),
        ("{" + DIGITS[1:160], Encoding.GSM7, 161, 2),
        ("😜" + DIGITS[1:69], Encoding.UCS2, 70, 1),
        ("😜" + DIGITS[1:70], Encoding.UCS2, 71, 2),
        # GSM-7 boundaries: 160 single, 153 per concatenated part
        ("a" * 160, Encoding.GSM7, 160, 1),
        ("a" * 161, Encoding.GSM7, 161, 2),
        ("a" * 306, Encoding.GSM7, 306, 2),
        ("a" * 307, Encoding.GSM7, 307, 3),
        ("€" * 80, Encoding.GSM7, 160, 1),
        ("€" * 81, Encoding.GSM7, 162, 2),
        # UCS-2 boundaries: 70 single, 67 per part
        ("é" + "ú" * 69, Encoding.UCS2, 70, 1),
        ("ú" * 71, Encoding.UCS2, 71, 2),
        ("ú" * 134, Encoding.UCS2, 134, 2),
        ("ú" * 135, Encoding.UCS2, 135, 3),
        ("", Encoding.GSM7, 0, 1),
        # extension table and form feed cost two septets
        ("^{}\\[~]|€\f", Encoding.GSM7, 20, 1),
    ],
)
def test_encoding_units_and_segments(
    text: str, encoding: Encoding, units: int, segments: int
) -> None:
    analysis = analyse(text)
    assert (analysis.encoding, analysis.units, analysis.segments) == (encoding, units, segments)
    assert "".join(analysis.parts) == text


def test_twilio_three_part_vectors_leave_one_character_in_the_last_part() -> None:
    gsm = analyse(DIGITS[:307])
    assert [len(part) for part in gsm.parts] == [153, 153, 1]
    assert gsm.parts[2] == "7"
    ucs2 = analyse("😜" + DIGITS[1:134])
    assert ucs2.segments == 3
    assert ucs2.parts[2] == "4"


def test_escape_pair_is_never_split_across_segments() -> None:
    text = "a" * 152 + "€" + "b" * 10
    analysis = analyse(text)
    assert analysis.units == 164
    assert analysis.parts[0] == "a" * 152
    assert analysis.parts[1].startswith("€")


def test_surrogate_pair_is_never_split_across_segments() -> None:
    text = "ú" * 66 + "😀" + "x" * 10
    analysis = analyse(text)
    assert analysis.parts[0] == "ú" * 66
    assert analysis.parts[1].startswith("😀")


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("🇫🇷", 4),  # a flag: two regional indicators, each a surrogate pair
        ("👩‍👩‍👧", 8),  # ZWJ sequence: three emoji and two joiners
        ("😀", 2),
    ],
)
def test_emoji_count_in_utf16_units(text: str, units: int) -> None:
    analysis = analyse(text)
    assert analysis.encoding is Encoding.UCS2
    assert analysis.units == units
    assert analysis.characters == len(text)


@pytest.mark.parametrize(
    ("char", "gsm_replacement"),
    [
        ("`", "'"),  # backtick looks GSM but is not in the alphabet
        ("ú", "u"),  # ù is GSM-7, ú is not
        ("’", "'"),
        ("“", '"'),
        ("–", "-"),
        ("—", "-"),
        ("…", "..."),
        ("\u00a0", " "),
        ("Ａ", "A"),
        ("😀", None),
        ("中", None),
    ],
)
def test_characters_that_force_ucs2_and_their_replacement(
    char: str, gsm_replacement: str | None
) -> None:
    analysis = analyse(f"ab{char}c")
    assert analysis.encoding is Encoding.UCS2
    [forced] = analysis.forced
    assert (forced.char, forced.index, forced.replacement) == (char, 2, gsm_replacement)
    assert replacement(char) == gsm_replacement


@pytest.mark.parametrize("char", ["@", "£", "¥", "è", "ù", "Ç", "Δ", "ß", "É", "¡", "§", "¿", "à"])
def test_gsm7_alphabet_letters_stay_gsm7(char: str) -> None:
    assert analyse(char * 10).encoding is Encoding.GSM7


def test_json_shape_is_the_documented_one() -> None:
    data = analyse("Don’t").to_json()
    assert list(data) == ["encoding", "characters", "units", "segments", "ucs2_characters"]
    assert data["ucs2_characters"] == [
        {"char": "’", "codepoint": "U+2019", "position": 4, "replacement": "'"}
    ]


@pytest.mark.parametrize("max_segments", [1, 2, 3, 5])
@pytest.mark.parametrize("filler", ["a", "€", "ú", "😀", "ú😀", "a€"])
def test_surely_within_never_hides_a_longer_message(max_segments: int, filler: str) -> None:
    for length in range(1, 400):
        text = (filler * length)[:length]
        if surely_within(text, max_segments):
            assert analyse(text).segments <= max_segments, (filler, length)
