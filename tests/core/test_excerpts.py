"""Excerpts keep paragraphs and list items as lines and end with "…" when cut."""
from hypothesis import given
from hypothesis import strategies as st

from workspace.core.excerpts import cut, excerpt_of_html, excerpt_of_markdown, tidy_lines


def test_lists_and_paragraphs_stay_lines():
    text = excerpt_of_markdown("Nous passons au disque.\n\n- quotidienne : 7 jours\n"
                               "- hebdomadaire : 4 semaines\n\nQu'en pensez-vous ?")
    assert text == ("Nous passons au disque.\n• quotidienne : 7 jours\n"
                    "• hebdomadaire : 4 semaines\nQu'en pensez-vous ?")


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis():
    text = excerpt_of_html("<p>" + "mutualisation " * 40 + "</p>", 50)
    assert text.endswith("mutualisation…") and len(text) <= 51


def test_scripts_and_markup_never_reach_the_excerpt():
    assert excerpt_of_html("<p>a<script>alert(1)</script> <b>b</b></p>") == "a b"


@given(st.text(max_size=400), st.integers(min_value=1, max_value=300))
def test_cut_never_grows_past_its_limit(text, limit):
    text = tidy_lines(text)
    shown = cut(text, limit)
    assert shown == text or (shown.endswith("…") and len(shown) <= limit + 1)
