"""User Markdown comes out harmless."""
import pytest

from workspace.core.markdown import render_markdown


@pytest.mark.parametrize(("source", "forbidden"), [
    ("[x](javascript:alert(1))", "href=\"javascript"),
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "<img"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "href=\"data"),
    ('<a href="javascript:alert(1)">x</a>', "<a "),
    ("[x](JaVaScRiPt:alert(1))", "href=\"javascript"),
    ("![x](javascript:alert(1))", "src=\"javascript"),
    ("[x](vbscript:msgbox(1))", "href=\"vbscript"),
])
def test_hostile_markdown_is_neutralised(source, forbidden):
    assert forbidden not in render_markdown(source).lower()


def test_ordinary_markdown_is_kept():
    html = render_markdown("**Zimbra** : voir [la doc](https://zimbra.example/doc)\n\n- a\n- b")
    assert "<strong>Zimbra</strong>" in html
    assert 'href="https://zimbra.example/doc"' in html and 'rel="noopener nofollow ugc"' in html
    assert "<li>a</li>" in html
