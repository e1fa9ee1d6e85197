"""A small document model (headings, paragraphs, lists, tables) that the PDF and
OpenDocument writers both render, and the conversion of Markdown into it."""
from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass
class Heading:
    text: str
    level: int = 2  # 1: the document's title


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "meta" (dates, places), "quote", "code"


@dataclass
class ListItem:
    text: str
    marker: str = "•"
    depth: int = 0


@dataclass
class ItemList:
    items: list[ListItem]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative; empty: equal columns
    row_height: float | None = None  # millimetres, for sheets signed by hand
    name: str = ""  # the sheet's name in a spreadsheet


Block = Heading | Paragraph | ItemList | Table


@dataclass
class Document:
    title: str
    filename: str  # without extension
    blocks: list[Block]
    subject: str = ""


# --- Markdown ----------------------------------------------------------------------------

_md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _inline(token: Token) -> str:
    """Plain text of an inline token; a link keeps its address in brackets."""
    parts: list[str] = []
    href = None
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            href, start = str(child.attrGet("href") or ""), len(parts)
        elif child.type == "link_close" and href:
            if "".join(parts[start:]).strip() != href:
                parts.append(f" ({href})")
            href = None
    return "".join(parts).strip()


def _table(tokens: list[Token], start: int) -> tuple[Table, int]:
    rows: list[list[str]] = []
    index = start
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(_inline(token))
        index += 1
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    return Table(header=header, rows=body), index


def markdown_blocks(text: str, top_level: int = 3) -> list[Block]:
    """Markdown as blocks: `#` headings start at `top_level`; nested lists keep their depth;
    emphasis is dropped (plain text), code and quotes keep a style of their own."""
    tokens = _md.parse(text or "")
    blocks: list[Block] = []
    lists: list[list] = []  # per open list: [ordered, next number]
    current: ItemList | None = None  # the outermost open list
    quote_depth = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = min(top_level + int(token.tag[1]) - 1, 4)
            blocks.append(Heading(_inline(tokens[index + 1]), level))
            index += 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if not lists:
                current = ItemList([])
                blocks.append(current)
            lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number = lists[-1]
            marker = f"{number}." if ordered else ("•" if len(lists) == 1 else "–")
            lists[-1][1] += 1
            current.items.append(ListItem("", marker, len(lists) - 1))
        elif kind in ("inline", "fence", "code_block") and lists:
            text = _inline(token) if kind == "inline" else token.content.rstrip("\n")
            item = current.items[-1]
            if item.text:  # a second paragraph, or text after a nested list
                current.items.append(ListItem(text, "", item.depth))
            else:
                item.text = text
        elif kind == "inline":
            blocks.append(Paragraph(_inline(token), "quote" if quote_depth else ""))
        elif kind in ("fence", "code_block"):
            blocks.append(Paragraph(token.content.rstrip("\n"), "code"))
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "table_open":
            table, index = _table(tokens, index)
            blocks.append(table)
        index += 1
    return blocks
