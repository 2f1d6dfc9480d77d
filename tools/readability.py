"""Readability of the portal's Markdown pages: Amstad's Flesch Reading Ease for German.

    FRE(de) = 180 - ASL - 58.5 * ASW
    ASL = words / sentences, ASW = syllables / words      (Amstad 1978)

Higher is easier: 60-70 is "mittelschwer", 50-60 "ziemlich schwer", 30-50 "schwer".

What is measured (the prose a reader reads from top to bottom):
  * Excluded: YAML front matter, fenced code blocks, indented code, HTML comments and tags, tables
    (every line starting with "|"), headings, attribute lists ({ #id }), admonition title lines
    ("!!! note "…"", "??? note"), the list of sources (everything below a heading "Quellen" up to the
    next heading of the same or a higher level), link targets and bare URLs (the link text stays),
    and legal citations in parentheses: a parenthesis that begins with "§", "§§" or "Art." (for example
    "(§ 8a Abs. 4 Satz 1 Nr. 1 bis 3 SGB VIII)") is a reference, not prose.
  * Admonition bodies and list items are prose and count.

How sentences are counted:
  * A sentence ends at ".", "!" or "?" followed by white space and then an upper-case letter, a digit,
    a quotation mark or an opening bracket, and at the end of a paragraph or list item (a list item
    without a full stop is one sentence). ":" and ";" do not end a sentence.
  * A full stop after a known abbreviation (z. B., Abs., Nr., bzw., vgl., e. V. …, see ABBREVIATIONS),
    after a single letter ("d. h.") or after a number ("1. Förderzyklus", "01.08.2024") ends no sentence.

How words and syllables are counted:
  * A word is a run of letters, digits, hyphens and colons that contains at least one letter
    ("Schüler:innen", "ESF+-Programm" and "Kinder- und" count as one word each). Pure numbers, "§" and
    "%" are not words.
  * Syllables are vowel nuclei (a e i o u ä ö ü y). Adjacent vowels form one nucleus if they are a
    German diphthong or long vowel (ai au äu ei eu ey ie aa ee oo), otherwise each vowel is one
    ("Si-tu-a-ti-on" = 5). An all-capital abbreviation is spelled out, one syllable per letter
    ("SGB" = 3), except Roman numerals ("VIII" = 1). The "u" of "qu" is no vowel. Every word has at least
    one syllable. Known limits: "ie" is always one nucleus ("Fa-mi-lie" = 3, spoken 4), "eu" too ("Mu-seum").

Usage:
    python tools/readability.py docs/programm.md docs/qualitaetsstandards/0*.md docs/qualitaetsstandards/1*.md
    python tools/readability.py --min 45 --max-words 35 FILE…   # exit 1 if a file is below or too long
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ABBREVIATIONS = frozenset(
    """abs art bzw ca dr drs evtl ggf gem hrsg inkl jh mio mrd nr o prof rd rdErl rderl s sog str tel u usw
    vgl vs z zb zz zzt ebd ff bgbl gvbl mbl lsa e v d h a ä i m vj ua ia uä jg""".split()
)
DIPHTHONGS = ("äu", "ai", "au", "ei", "eu", "ey", "ie", "aa", "ee", "oo")
VOWELS = set("aeiouäöüy")
ROMAN = re.compile(r"^[IVXLC]+$")
WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüß][0-9A-Za-zÄÖÜäöüß:+\-]*")

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>\n]+>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<https?://[^>]+>|https?://\S+")
_ATTR = re.compile(r"\{[:#.][^}]*\}|\{ *[#.][^}]*\}")
_CITATION = re.compile(r"\((?:§|Art\.)[^()]*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_SENTENCE_END = re.compile(r"([.!?])[\"“”»)]*\s+(?=[A-ZÄÖÜ0-9„\"(»])")


@dataclass
class Result:
    path: str
    sentences: int
    words: int
    syllables: int
    long_sentences: list[str] = field(default_factory=list)

    @property
    def asl(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def asw(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def flesch(self) -> float:
        return 180 - self.asl - 58.5 * self.asw


def syllables(word: str) -> int:
    """Syllables of one word (see the module docstring for the rules)."""
    letters = re.sub(r"[^A-Za-zÄÖÜäöüß]", "", word)
    if not letters:
        return 0
    if len(letters) >= 2 and letters.isupper():
        return 1 if ROMAN.match(letters) else len(letters)
    total = 0
    for part in re.split(r"[-:+]", word):
        low = part.lower().replace("qu", "qw")  # the u of "qu" is no vowel ("Qua-li-tät")
        count, i = 0, 0
        while i < len(low):
            if low[i] in VOWELS:
                count += 1
                i += 2 if low[i : i + 2] in DIPHTHONGS else 1
            else:
                i += 1
        total += count
    return max(1, total)


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if re.search(r"[A-Za-zÄÖÜäöüß]", w)]


def prose_blocks(markdown: str) -> list[str]:
    """The paragraphs and list items of a page that count as prose, in order."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _FENCE.sub("", text)
    text = _COMMENT.sub("", text)
    blocks: list[str] = []
    current: list[str] = []
    skip_level = 0  # inside "## Quellen" (level 2) until the next heading of level <= 2

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in text.splitlines():
        heading = _HEADING.match(raw)
        if heading:
            flush()
            level = len(heading.group(1))
            if skip_level and level <= skip_level:
                skip_level = 0
            if re.match(r"(Quellen|Quellen und weiterführende Links|Literatur)\b", heading.group(2).strip()):
                skip_level = level
            continue
        if skip_level:
            continue
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("|") or re.match(r"^(!!!|\?\?\?\+?)\s", stripped):
            flush()
            continue
        if re.match(r"^( {4}|\t)", line) and not current and not re.match(r"^\s+(?:[-*+]|\d+\.)\s", line):
            # indented text: admonition body (prose) unless it looks like code
            if re.search(r"[{};=<>]|^\s{4}\$ ", line):
                continue
        if _LIST.match(line):
            flush()
            line = _LIST.sub("", line)
        current.append(line.strip())
    flush()
    cleaned = []
    for block in blocks:
        block = _LINK.sub(r"\1", block)
        block = _AUTOLINK.sub("", block)
        block = _TAG.sub("", block)
        block = _ATTR.sub("", block)
        block = _CITATION.sub("", block)
        block = re.sub(r"[*_`]", "", block)
        block = re.sub(r"\s+", " ", block).strip()
        if words(block):
            cleaned.append(block)
    return cleaned


def sentences(block: str) -> list[str]:
    """Split one paragraph into sentences (see the module docstring)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(block):
        before = block[start : match.start()]
        last = re.findall(r"([0-9A-Za-zÄÖÜäöüß]+)$", before)
        token = last[0] if last else ""
        if match.group(1) == "." and token and (
            token.lower() in ABBREVIATIONS or len(token) == 1 or token.isdigit()
        ):
            continue
        parts.append(block[start : match.end()].strip())
        start = match.end()
    rest = block[start:].strip()
    if rest:
        parts.append(rest)
    return [p for p in parts if words(p)]


def measure_text(markdown: str, path: str = "", max_words: int = 35) -> Result:
    n_sent = n_words = n_syll = 0
    long: list[str] = []
    for block in prose_blocks(markdown):
        for sentence in sentences(block):
            ws = words(sentence)
            n_sent += 1
            n_words += len(ws)
            n_syll += sum(syllables(w) for w in ws)
            if len(ws) > max_words:
                long.append(sentence)
    return Result(path, n_sent, n_words, n_syll, long)


def measure(path: Path, max_words: int = 35) -> Result:
    return measure_text(path.read_text(encoding="utf-8"), str(path), max_words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Amstad-Flesch (Deutsch) für Markdown-Seiten")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--min", type=float, default=None, help="Mindestwert; darunter Exit-Code 1")
    parser.add_argument("--max-words", type=int, default=35, help="längster erlaubter Satz (Wörter)")
    parser.add_argument("--show-long", action="store_true", help="zu lange Sätze ausgeben")
    args = parser.parse_args(argv)
    failed = False
    print(f"{'Datei':60} {'Flesch':>7} {'Sätze':>6} {'Wörter':>7} {'ASL':>6} {'ASW':>5} {'>' + str(args.max_words):>5}")
    for path in args.files:
        r = measure(path, args.max_words)
        print(f"{str(path):60} {r.flesch:7.1f} {r.sentences:6d} {r.words:7d} {r.asl:6.1f} {r.asw:5.2f} {len(r.long_sentences):5d}")
        if args.show_long:
            for s in r.long_sentences:
                print(f"    zu lang ({len(words(s))} Wörter): {s}")
        if args.min is not None and (r.flesch < args.min or r.long_sentences):
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
