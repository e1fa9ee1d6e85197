"""The user's words as a Whoosh query: what we refuse to run (too long, too many words,
short or leading wildcards, deep nesting) and the parser (title and text only)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from whoosh.qparser import EveryPlugin, FieldsPlugin, MultifieldParser, RangePlugin
from whoosh.query import Query

MAX_QUERY_CHARS = 200
MAX_TERMS = 20
MAX_NESTING = 3
MIN_PREFIX = 3

_WORD = re.compile(r"\w+")
_WILDCARD_TOKEN = re.compile(r"\S*[*?]\S*")
_GOOD_PREFIX = re.compile(rf"^\"?\(*\w{{{MIN_PREFIX},}}\*\)*\"?$")


class QueryRefused(ValueError):
    """A query we will not run; the message says why, in the user's language."""


def check_query(text: str) -> str:
    """The query, tidied; QueryRefused for what we do not run (too long, too many words,
    leading or short wildcards, deep nesting)."""
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(_("Votre recherche est trop longue : %(max)d caractères au plus.",
                             max=MAX_QUERY_CHARS))
    if len(_WORD.findall(text)) > MAX_TERMS:
        raise QueryRefused(_("Votre recherche compte trop de mots : %(max)d au plus.",
                             max=MAX_TERMS))
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryRefused(_("Trop de parenthèses imbriquées : %(max)d niveaux au plus.",
                             max=MAX_NESTING))
    for token in _WILDCARD_TOKEN.findall(text):
        if not _GOOD_PREFIX.match(token):
            raise QueryRefused(_(
                "L'astérisque ne se place qu'en fin de mot, après au moins %(min)d lettres "
                "(par exemple « chaud* »).", min=MIN_PREFIX))
    return text


def _parser(schema) -> MultifieldParser:
    """Words and phrases in the title and the text only: no `field:value` (the network
    and kind fields cannot be named), no ranges, no `*:*`; prefixes checked beforehand."""
    parser = MultifieldParser(["title", "text"], schema)
    for plugin in (FieldsPlugin, RangePlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    return parser


def parse(text: str, schema) -> Query:
    try:
        return _parser(schema).parse(check_query(text))
    except QueryRefused:
        raise
    except Exception as error:
        raise QueryRefused(_("Cette recherche n'a pas pu être comprise.")) from error
