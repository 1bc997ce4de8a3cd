"""A small reader of PostgreSQL's tsquery syntax, to check `to_tsquery` where no server runs:
lexemes in single quotes (`''` and backslash escapes, `:*` for a prefix), `!`, `<->`, `&`,
`|` and parentheses, with PostgreSQL's precedence (`!`, then `<->`, then `&`, then `|`).
`evaluate` applies the result to a paragraph's words as PostgreSQL would to its tsvector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class TsquerySyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Lexeme:
    text: str
    prefix: bool


@dataclass(frozen=True)
class Operator:
    name: str  # "!", "<->", "&", "|"
    operands: tuple[Node, ...]


Node = Lexeme | Operator


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def skip_spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at] == " ":
            self.at += 1

    def take(self, token: str) -> bool:
        self.skip_spaces()
        if self.text.startswith(token, self.at):
            self.at += len(token)
            return True
        return False

    def expression(self) -> Node:
        node = self.conjunction()
        while self.take("|"):
            node = Operator("|", (node, self.conjunction()))
        return node

    def conjunction(self) -> Node:
        node = self.phrase()
        while self.take("&"):
            node = Operator("&", (node, self.phrase()))
        return node

    def phrase(self) -> Node:
        node = self.unary()
        while self.take("<->"):
            node = Operator("<->", (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.take("!"):
            return Operator("!", (self.unary(),))
        if self.take("("):
            node = self.expression()
            if not self.take(")"):
                raise TsquerySyntaxError(f"no closing parenthesis at {self.at}")
            return node
        return self.lexeme()

    def lexeme(self) -> Lexeme:
        self.skip_spaces()
        if not self.take("'"):
            raise TsquerySyntaxError(f"expected a quoted lexeme at {self.at}: {self.text!r}")
        chars: list[str] = []
        while True:
            if self.at >= len(self.text):
                raise TsquerySyntaxError("unclosed lexeme")
            char = self.text[self.at]
            if char == "\\" and self.at + 1 < len(self.text):
                chars.append(self.text[self.at + 1])
                self.at += 2
            elif char == "'" and self.text.startswith("''", self.at):
                chars.append("'")
                self.at += 2
            elif char == "'":
                self.at += 1
                break
            else:
                chars.append(char)
                self.at += 1
        if not chars:
            raise TsquerySyntaxError("empty lexeme")
        return Lexeme(
            "".join(chars), prefix=self.text.startswith(":*", self.at) and self.take(":*")
        )


def parse_tsquery(text: str) -> Node:
    reader = _Reader(text)
    node = reader.expression()
    reader.skip_spaces()
    if reader.at != len(text):
        raise TsquerySyntaxError(f"unexpected {text[reader.at :]!r}")
    return node


def lexemes(node: Node) -> list[Lexeme]:
    """The lexemes of a tsquery, left to right."""
    if isinstance(node, Lexeme):
        return [node]
    return [lexeme for operand in node.operands for lexeme in lexemes(operand)]


def _starts(node: Node, words: Sequence[str]) -> list[int]:
    """Where a lexeme or a `<->` chain of lexemes matches (the index of its first word)."""
    if isinstance(node, Lexeme):
        return [
            i
            for i, word in enumerate(words)
            if (word.startswith(node.text) if node.prefix else word == node.text)
        ]
    if node.name != "<->":
        raise TsquerySyntaxError(f"{node.name} inside a phrase")
    left, right = node.operands
    width = _width(left)
    later = set(_starts(right, words))
    return [i for i in _starts(left, words) if i + width in later]


def _width(node: Node) -> int:
    if isinstance(node, Lexeme):
        return 1
    return sum(_width(operand) for operand in node.operands)


def evaluate(node: Node, words: Sequence[str]) -> bool:
    """Does a paragraph of these words (in order) match the query?"""
    if isinstance(node, Lexeme) or node.name == "<->":
        return bool(_starts(node, words))
    if node.name == "!":
        return not evaluate(node.operands[0], words)
    if node.name == "&":
        return all(evaluate(operand, words) for operand in node.operands)
    return any(evaluate(operand, words) for operand in node.operands)
