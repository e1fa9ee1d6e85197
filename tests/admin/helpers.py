"""Small helpers of the administration tests."""
from __future__ import annotations

import html


def text(response) -> str:
    """The page as a reader sees it: HTML entities (&#39; ...) turned back into characters."""
    return html.unescape(response.get_data(as_text=True))
