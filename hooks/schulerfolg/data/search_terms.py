"""Search terms kept as data: word parts and synonyms that make German compounds findable.

Pagefind matches a query word against the *start* of indexed words, so „Netzwerk“ finds
„Netzwerkstelle“, but „Sozialarbeit“ never finds „Schulsozialarbeit“. Editors list such cases in
``data/suchbegriffe.yaml``; a page whose text contains one of a rule's word parts is also found
under the rule's keywords (hidden metadata, so excerpts stay the page's own words).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from schulerfolg.data.fields import Text
from schulerfolg.data.messages import validate
from schulerfolg.data.model import Record, german
from schulerfolg.data.problems import DataError
from schulerfolg.data.yamlsource import YamlSource

TERMS_FILE = "suchbegriffe.yaml"


class TermRule(Record):
    """A page that contains one of ``contains`` (or whose title contains one of ``title_contains``)
    is also found under ``keywords``."""

    model_config = german("Suchregel", "Seiten, die einen der Wortteile enthalten, werden auch mit den angegebenen Suchwörtern gefunden.")

    contains: tuple[Text, ...] = Field(
        (),
        alias="seite_enthaelt",
        title="Seite enthält",
        description="Wortteile, Groß- und Kleinschreibung egal, auch mitten im Wort: „sozialarbeit“ passt auf „Schulsozialarbeiterin“.",
    )
    title_contains: tuple[Text, ...] = Field(
        (),
        alias="titel_enthaelt",
        title="Titel enthält",
        description="Wie seite_enthaelt, aber nur im Seitentitel gesucht: für Begriffe, die eine bestimmte Seite finden sollen.",
    )
    keywords: tuple[Text, ...] = Field(
        alias="auch_finden_mit",
        title="Auch finden mit",
        min_length=1,
        description="Suchwörter, mit denen solche Seiten zusätzlich gefunden werden, z. B. „Sozialarbeit“.",
    )

    @model_validator(mode="after")
    def _one_condition(self) -> "TermRule":
        if bool(self.contains) == bool(self.title_contains):
            raise PydanticCustomError(
                "rule_condition", "Bitte genau eines angeben: „seite_enthaelt“ oder „titel_enthaelt“ (mit mindestens einem Wortteil)."
            )
        return self


class SearchTermsFile(Record):
    """data/suchbegriffe.yaml"""

    model_config = german("Suchbegriffe", "Wortteile und Synonyme, die zusammengesetzte Wörter auffindbar machen (data/suchbegriffe.yaml).")

    rules: tuple[TermRule, ...] = Field(alias="begriffe", min_length=1, title="Suchregeln",
                                        description="Regeln, mit denen Seiten zusätzlich gefunden werden.")


@dataclass(frozen=True)
class _Rule:
    parts: tuple[str, ...]  # case-folded
    title_only: bool
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SearchTerms:
    """The rules, with their word parts case-folded once for matching."""

    rules: tuple[_Rule, ...]

    @classmethod
    def of(cls, rules: tuple[TermRule, ...]) -> "SearchTerms":
        return cls(tuple(
            _Rule(tuple(p.casefold() for p in r.contains or r.title_contains), not r.contains, r.keywords)
            for r in rules
        ))

    def keywords_for(self, text: str, is_title: bool = False) -> list[str]:
        """The extra keywords of a page with this text (or title), in rule order, each once."""
        folded = text.casefold()
        found: dict[str, None] = {}
        for rule in self.rules:
            if (is_title or not rule.title_only) and any(part in folded for part in rule.parts):
                found.update(dict.fromkeys(rule.keywords))
        return list(found)


def load_search_terms(data_dir: Path, display_root: Path) -> SearchTerms:
    """Read and validate only ``data/suchbegriffe.yaml`` (the build reads it with all data files)."""
    source = YamlSource.read_in(data_dir / TERMS_FILE, display_root)
    if source.problems:
        raise DataError(source.problems)
    parsed, problems = validate(source, SearchTermsFile)
    if problems:
        raise DataError(problems)
    return SearchTerms.of(parsed.rules)
