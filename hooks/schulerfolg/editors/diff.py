"""What changed in the data between two versions, in plain German: for reviewers and pull-request comments.

    PYTHONPATH=hooks python -m schulerfolg.editors.diff main                  # main → working copy
    PYTHONPATH=hooks python -m schulerfolg.editors.diff --format markdown BASE HEAD
    PYTHONPATH=hooks python -m schulerfolg.editors.diff --pfade alt/schools.yaml neu/schools.yaml

Records are matched by their key (``id``, or ``schluessel`` in the places), so moving a record is no
change. Labels are the German field titles of the model (one place for schema and diff).

A pull-request comment on a public repository is public and lands in mailboxes. So the values of
internal fields (``intern``), of fields the model does not know (a mistyped ``interm``) and anything
about a contact person who has not agreed to publication (``veroeffentlichen`` not true) are never
printed: the diff only says that they changed.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from schulerfolg.editors.arguments import GermanArgumentParser
from schulerfolg.data.consent import CONSENT_KEY as CONSENT
from schulerfolg.data.consent import published as _published
from schulerfolg.data.load import DATA_FILES, FILE_MODELS
from schulerfolg.data.messages import inner_model
from schulerfolg.data.model import Office, is_internal
from schulerfolg.data.problems import one_line
from schulerfolg.data.yamlsource import MAX_FILE_BYTES, YamlSource, decode_utf8, read_text_bounded

KEY_FIELDS = ("id", "schluessel")
INTERNAL_REASON = "interne Angabe"
CONSENT_REASON = "nicht zur Veröffentlichung freigegeben"
UNKNOWN_REASON = "unbekanntes Feld, siehe Meldung der Prüfung"
AMBIGUOUS_REASON = "ein Feld steht doppelt im Eintrag, siehe Meldung der Prüfung"
SHAPE_REASON = "unerwartete Form, siehe Meldung der Prüfung"
COMMENT_LIMIT = 60_000  # GitHub rejects comments over 65 536 characters
PROJECT_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a record, with its German label and the values as shown."""

    label: str
    kind: str  # "ergänzt", "gelöscht" or "geändert"
    old: str = ""
    new: str = ""
    hidden: str = ""  # why the values are withheld; empty when they may be shown
    listed: bool = False  # a list field: see added_items / removed_items
    added_items: tuple[str, ...] = ()
    removed_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordChange:
    """A record added, removed or changed (then with its changed fields)."""

    record: str  # e.g. "Schule „Grundschule Am Park“ (gs-am-park-halle)" or "Netzwerkstelle Harz"
    kind: str  # "hinzugefügt", "entfernt" or "geändert"
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class FileDiff:
    """The changes in one data file, or why it could not be compared."""

    file: str
    records: tuple[RecordChange, ...] = ()
    note: str = ""

    @property
    def count(self) -> int:
        return sum(max(1, len(r.fields)) for r in self.records)


# --- comparing parsed data ---------------------------------------------------------------------------


def diff_data(file: str, key: str, old: Any, new: Any, districts: dict[str, str] | None = None,
              ambiguous: frozenset[int] | set[int] = frozenset()) -> FileDiff:
    """Compare two parsed versions of the data file ``key`` (``schools``, …); ``None`` means absent.

    ``ambiguous`` holds the ``id()`` of mappings in which a key was written twice (``YamlSource.ambiguous``):
    which value was meant is unknown (often a contact person's block that lost its indentation), so
    nothing of such a record is shown. Keep both parsed versions alive while the ids are in use."""
    global _AMBIGUOUS
    _AMBIGUOUS = frozenset(ambiguous)
    model = FILE_MODELS[key]
    old_d, new_d = (old if isinstance(old, dict) else {}), (new if isinstance(new, dict) else {})
    changes: list[RecordChange] = []
    for name, info in model.model_fields.items():
        alias = info.alias or name
        record_model = inner_model(info.annotation)
        before, after = old_d.get(alias), new_d.get(alias)
        if before == after or record_model is None:
            continue
        if _is_list(info):
            changes += _diff_records(record_model, before, after, districts or {})
        else:
            changes += _diff_single(info.title or alias, record_model, before, after)
    return FileDiff(file, tuple(changes))


def district_names(places: Any) -> dict[str, str]:
    """Kreisschlüssel → name, from parsed places data (labels offices as „Netzwerkstelle Harz“)."""
    kreise = places.get("kreise") if isinstance(places, dict) else None
    return {str(d.get("schluessel")): str(d.get("name")) for d in kreise or () if isinstance(d, dict)}


def _is_list(info: FieldInfo) -> bool:
    return getattr(info.annotation, "__origin__", None) is tuple


def _aliases(model: type[BaseModel]) -> dict[str, FieldInfo]:
    return {info.alias or name: info for name, info in model.model_fields.items()}


_AMBIGUOUS: frozenset[int] = frozenset()


def _ambiguous(*records: Any) -> bool:
    return any(id(r) in _AMBIGUOUS for r in records if isinstance(r, dict))


def _diff_records(model: type[BaseModel], before: Any, after: Any, districts: dict[str, str]) -> list[RecordChange]:
    old, new = _keyed(model, before), _keyed(model, after)
    changes = []
    for key, item in new.items():
        if key not in old:
            changes.append(RecordChange(_record_label(model, item, districts), "hinzugefügt"))
        elif old[key] != item:
            fields = _diff_fields(model, old[key], item)
            if fields:
                changes.append(RecordChange(_record_label(model, item, districts), "geändert", tuple(fields)))
    changes += [RecordChange(_record_label(model, item, districts), "entfernt") for key, item in old.items() if key not in new]
    return changes


def _diff_single(label: str, model: type[BaseModel], before: Any, after: Any) -> list[RecordChange]:
    if not isinstance(after, dict):
        return [RecordChange(label, "entfernt")]
    if not isinstance(before, dict):
        return [RecordChange(label, "hinzugefügt")]
    fields = _diff_fields(model, before, after)
    return [RecordChange(label, "geändert", tuple(fields))] if fields else []


def _keyed(model: type[BaseModel], items: Any) -> dict[str, dict[str, Any]]:
    """Records by key; records without a key get their position, repeated keys a marker."""
    key_field = next((k for k in KEY_FIELDS if k in _aliases(model)), None)
    out: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(item, dict):
            continue
        key = str(item.get(key_field)) if key_field and item.get(key_field) is not None else f"Eintrag {i + 1}"
        while key in out:
            key += "*"
        out[key] = item
    return out


def _record_label(model: type[BaseModel], item: dict[str, Any], districts: dict[str, str]) -> str:
    """„Schule „Name“ (id)“. The name only when it is a plain text and the record is unambiguous: a
    contact person's block that lost its indentation would otherwise lend the school its name."""
    title = model.model_config.get("title") or model.__name__
    name = item.get("name") if isinstance(item.get("name"), str) and not _ambiguous(item) else None
    key = next((item[k] for k in KEY_FIELDS if isinstance(item.get(k), (str, int))), None)
    if model is Office and districts.get(str(item.get("kreis"))):
        return f"{title} {districts[str(item.get('kreis'))]}"
    if name and key:
        nested = _one_line(name).replace("„", "‚").replace("“", "‘")  # German quotes within quotes
        return f"{title} „{nested}“ ({_one_line(key)})"
    return f"{title} {_one_line(key or name or '(ohne Kennung)')}"


def _diff_fields(model: type[BaseModel], old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[FieldChange]:
    fields = _aliases(model)
    if _ambiguous(old, new):
        return [FieldChange(prefix or "Eintrag", "geändert", hidden=AMBIGUOUS_REASON)]
    changes = []
    for alias, info in fields.items():
        before, after = old.get(alias), new.get(alias)
        if before == after:
            continue
        label = f"{prefix} – {info.title}" if prefix else (info.title or alias)
        kind = _kind(before, after)
        sub = inner_model(info.annotation)
        if is_internal(info):
            changes.append(FieldChange(label, kind, hidden=INTERNAL_REASON))
        elif _is_list(info):
            changes.append(_list_change(label, before, after, sub))
        elif sub is not None and (_guarded(sub) or isinstance(before, (dict, type(None))) and isinstance(after, (dict, type(None)))):
            changes += _diff_sub_record(sub, label, before, after)
        elif isinstance(before, (dict, list)) or isinstance(after, (dict, list)):
            # A block or a list where one value belongs: often someone else's lines that lost their indentation.
            changes.append(FieldChange(label, kind, hidden=SHAPE_REASON))
        else:
            changes.append(FieldChange(label, kind, _show(before), _show(after)))
    for alias in dict.fromkeys([*old, *new]):
        if alias not in fields and old.get(alias) != new.get(alias):
            # Unknown to the model, so nobody decided it may be public (a mistyped „intern“, say).
            label = f"{prefix} – Feld „{_one_line(alias)}“" if prefix else f"Feld „{_one_line(alias)}“"
            changes.append(FieldChange(label, _kind(old.get(alias), new.get(alias)), hidden=UNKNOWN_REASON))
    return changes


def _diff_sub_record(model: type[BaseModel], label: str, before: Any, after: Any) -> list[FieldChange]:
    """A nested record (Quelle, Koordinaten, Ansprechperson), in whatever shape the editor wrote it.

    A person is shown only with consent (``consent.published``: a mapping whose ``veroeffentlichen`` is a
    literal ``true``); a text, a list or a mis-indented block in its place is never shown. Neither is a
    record with internal fields that is not a mapping."""
    if CONSENT in _aliases(model):
        if not _published(after) or _ambiguous(after):
            return [FieldChange(label, _kind(before, after), hidden=CONSENT_REASON)]
        if not _published(before) or _ambiguous(before):
            before = None  # the earlier, unpublished values stay unmentioned
    elif not (isinstance(before, (dict, type(None))) and isinstance(after, (dict, type(None)))):
        return [FieldChange(label, _kind(before, after), hidden=SHAPE_REASON)]
    return _diff_fields(model, before or {}, after or {}, prefix=label)


def _guarded(model: type[BaseModel], seen: frozenset[type] = frozenset()) -> bool:
    """True if a record type, or one nested in it, has internal fields or needs consent."""
    if model in seen:
        return False
    for alias, info in _aliases(model).items():
        if alias == CONSENT or is_internal(info):
            return True
        sub = inner_model(info.annotation)
        if sub is not None and _guarded(sub, seen | {model}):
            return True
    return False


def _list_change(label: str, before: Any, after: Any, model: type[BaseModel] | None = None) -> FieldChange:
    old = [_show_item(x, model) for x in (before if isinstance(before, list) else ())]
    new = [_show_item(x, model) for x in (after if isinstance(after, list) else ())]
    added = tuple(x for x in new if x not in old)
    removed = tuple(x for x in old if x not in new)
    if (before is not None and not isinstance(before, list)) or (after is not None and not isinstance(after, list)):
        if model is not None and _guarded(model):
            return FieldChange(label, _kind(before, after), hidden=SHAPE_REASON)
    return FieldChange(label, "geändert", listed=True, added_items=added, removed_items=removed)


def _kind(before: Any, after: Any) -> str:
    if before is None:
        return "ergänzt"
    if after is None:
        return "gelöscht"
    return "geändert"


def _show(value: Any) -> str:
    if value is None:
        return "(leer)"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, (str, int, float)):
        return _one_line(value)
    return _one_line(json.dumps(value, ensure_ascii=False, default=str))


WITHHELD_ITEM = "(Eintrag nicht angezeigt)"


def _show_item(value: Any, model: type[BaseModel] | None = None) -> str:
    """A list entry as shown; entries of record lists show only their public, known fields, and an entry
    that needs consent only with it (anything else is ``WITHHELD_ITEM``)."""
    if model is None:
        return _show(value) if not isinstance(value, dict) else " ".join(_show(v) for v in value.values())
    fields = _aliases(model)
    if not isinstance(value, dict) or _ambiguous(value) or (CONSENT in fields and not _published(value)):
        return WITHHELD_ITEM if _guarded(model) else _show(value)
    shown = []
    for alias, info in fields.items():
        if alias not in value or is_internal(info):
            continue
        sub = inner_model(info.annotation)
        item = value[alias]
        if sub is not None and _guarded(sub):
            shown.append(_show_item(item, sub) if not isinstance(item, list) else WITHHELD_ITEM)
        else:
            shown.append(_show(item))
    return " ".join(shown)


def _one_line(value: Any) -> str:
    """One line of text: line breaks as ⏎, other control and bidi characters as [U+…] (the diff goes into
    CI logs and comments, where a line break could start a workflow command)."""
    return one_line(re.sub(r"\s*[\r\n\x85\u2028\u2029]\s*", " ⏎ ", str(value)).strip())


# --- output ----------------------------------------------------------------------------------------------


def describe(change: FieldChange, code: Callable[[str], str] = str, text: Callable[[str], str] = str) -> str:
    """One field change in German, e.g. „Telefon geändert: 0391 1 → 0391 2“."""
    label = text(change.label)
    if change.hidden:
        return f"{label} {change.kind} (Inhalt nicht angezeigt: {change.hidden})"
    if change.listed:
        parts = []
        if change.added_items:
            parts.append("hinzugefügt " + ", ".join(code(i) for i in change.added_items))
        if change.removed_items:
            parts.append("entfernt " + ", ".join(code(i) for i in change.removed_items))
        return f"{label} geändert: " + "; ".join(parts) if parts else f"{label}: Reihenfolge geändert"
    if change.kind == "ergänzt":
        return f"{label} ergänzt: {code(change.new)}"
    if change.kind == "gelöscht":
        return f"{label} gelöscht (bisher: {code(change.old)})"
    return f"{label} geändert: {code(change.old)} → {code(change.new)}"


def change_lines(diff: FileDiff) -> Iterator[str]:
    """Plain lines, one per change: „Netzwerkstelle Harz: Telefon geändert: alt → neu“."""
    for record in diff.records:
        if record.kind != "geändert":
            yield f"{record.record} {record.kind}"
        for field in record.fields:
            yield f"{record.record}: {describe(field)}"


def render_text(diffs: list[FileDiff]) -> str:
    lines = []
    for diff in diffs:
        if diff.records or diff.note:
            lines.append(diff.file)
            lines += [f"  {diff.note}"] if diff.note else []
            lines += [f"  {line}" for line in change_lines(diff)]
    return "\n".join(lines) + "\n" if lines else "Keine Änderungen an den Daten.\n"


FOOTER = ("<sub>Automatisch erzeugt aus `data/*.yaml`. Werte interner Felder und Namen ohne Freigabe zur "
          "Veröffentlichung werden nie angezeigt, nur dass sie sich geändert haben.</sub>")


def render_markdown(diffs: list[FileDiff], limit: int = COMMENT_LIMIT) -> str:
    """A pull-request comment: grouped by file and record, values as code, data text escaped."""
    blocks: list[str] = []
    for diff in (d for d in diffs if d.records or d.note):
        count = diff.count
        block = [f"**{md_text(diff.file)}** ({count} {'Änderung' if count == 1 else 'Änderungen'})", ""]
        if diff.note:
            block.append(f"> {md_text(diff.note)}")
        for record in diff.records:
            block += _markdown_record(record)
        blocks.append("\n".join(block))
    head = "### Änderungen an den Daten\n\n"
    if not blocks:
        return head + "Keine Änderungen an den Daten.\n"
    body, omitted = _fit("\n\n".join(blocks), limit - len(head) - len(FOOTER) - 200)
    if omitted:
        body += (f"\n\n… und {omitted} weitere Zeilen. Die vollständige Liste steht im Protokoll des "
                 "Prüflaufs (Schritt „Datenänderungen“).")
    return f"{head}{body}\n\n{FOOTER}\n"


def _markdown_record(record: RecordChange) -> list[str]:
    name = md_text(record.record)
    if record.kind != "geändert":
        return [f"- {name} **{record.kind}**"]
    lines = [describe(f, md_code, md_text) for f in record.fields]
    if len(lines) == 1:
        return [f"- {name}: {lines[0]}"]
    return [f"- {name}", *(f"  - {line}" for line in lines)]


def _fit(text: str, limit: int) -> tuple[str, int]:
    if len(text) <= limit:
        return text, 0
    kept = text[:limit].rsplit("\n", 1)[0]
    return kept, text.count("\n") - kept.count("\n")


def md_text(value: str) -> str:
    """Data text in Markdown: syntax characters escaped, HTML neutralised."""
    value = re.sub(r"([\\`*_\[\]|~#])", r"\\\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;")


def md_code(value: str) -> str:
    fence = "``" if "`" in value else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{value}{pad}{fence}"


# --- reading versions ------------------------------------------------------------------------------------


class DiffError(Exception):
    """A German message for the person who ran the command (unknown revision, missing file, …)."""


def diff_versions(root: Path, old_rev: str, new_rev: str | None = None) -> list[FileDiff]:
    """Compare the data files of two git revisions; ``new_rev`` None means the working copy."""
    for rev in (old_rev, new_rev):
        if rev is not None and _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode:
            raise DiffError(f"„{rev}“ ist keine bekannte Version (Commit, Branch oder Tag) in {root.resolve()}.")
    texts = {}
    for key, name in DATA_FILES.items():
        path = f"data/{name}"
        old = _git_file(root, old_rev, path)
        new = _git_file(root, new_rev, path) if new_rev else _read(root / path)
        texts[key] = (path, old, new)
    return _diff_texts(texts)


def diff_paths(old: Path, new: Path) -> list[FileDiff]:
    """Compare two data folders, or two single data files."""
    if old.is_dir() and new.is_dir():
        texts = {key: (f"data/{name}", _read(old / name), _read(new / name)) for key, name in DATA_FILES.items()}
        return _diff_texts(texts)
    for path in (old, new):
        if not path.is_file():
            raise DiffError(f"„{path}“ gibt es nicht (oder es ist ein Ordner, der andere Pfad aber eine Datei).")
    key = _key_for(new.name) or _key_for(old.name)
    if key is None:
        raise DiffError(f"Unbekannte Datendatei „{new.name}“. Verglichen werden können: {', '.join(DATA_FILES.values())}.")
    places = _read(new.parent / DATA_FILES["places"]) or _read(PROJECT_ROOT / "data" / DATA_FILES["places"])
    return _diff_texts({key: (str(new), _read(old), _read(new))}, places)


def _key_for(filename: str) -> str | None:
    return next((k for k, name in DATA_FILES.items() if name == filename), None)


def _diff_texts(texts: dict[str, tuple[str, str | None, str | None]], places_text: str | None = None) -> list[FileDiff]:
    parsed: dict[str, tuple[str, Any, Any, str, set[int]]] = {}
    for key, (display, old, new) in texts.items():
        if old == new:
            continue
        versions, note, ambiguous = [], "", set()
        for label, text in (("alte", old), ("neue", new)):
            source = YamlSource.parse(text, display) if text is not None else None
            if source is not None and source.problems and source.data is None:
                note = (f"Nicht verglichen: Die {label} Fassung ist fehlerhaft ({source.problems[0].message}). "
                        "Bitte zuerst die Meldungen der Prüfung beheben.")
            versions.append(source.data if source is not None else None)
            ambiguous |= source.ambiguous if source is not None else set()
        parsed[key] = (display, versions[0], versions[1], note, ambiguous)
    if "places" in texts:
        places_text = texts["places"][2] or texts["places"][1]
    districts = district_names(YamlSource.parse(places_text, "places").data) if places_text else {}
    return [FileDiff(display, note=note) if note else diff_data(display, key, old, new, districts, ambiguous)
            for key, (display, old, new, note, ambiguous) in parsed.items()]


def _read(path: Path) -> str | None:
    """A data file's text, with the loader's limits: no symbolic links, no devices, bounded size."""
    if not path.exists() and not path.is_symlink():
        return None
    text, problem = read_text_bounded(path, str(path))
    if problem is not None:
        raise DiffError(f"„{path}“ wird nicht verglichen: {problem.message}")
    return text


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("Das Programm git ist nicht installiert.") from None


def _git_file(root: Path, rev: str, path: str) -> str | None:
    if _git(root, "cat-file", "-e", f"{rev}:{path}").returncode:
        return None  # the file did not exist in that version
    size = _git(root, "cat-file", "-s", f"{rev}:{path}").stdout.strip()
    if not size.isdigit() or int(size) > MAX_FILE_BYTES:
        raise DiffError(f"{path} ist in der Version {rev} zu groß zum Vergleichen (mehr als {MAX_FILE_BYTES // 10**6} MB).")
    raw = _git(root, "show", f"{rev}:{path}").stdout
    text, problem = decode_utf8(raw, path)
    if problem is not None:
        raise DiffError(f"{path} ist in der Version {rev} nicht lesbar: Zeile {problem.line}: {problem.message}")
    return text


# --- command line --------------------------------------------------------------------------------------------

USAGE = """Aufruf: python -m schulerfolg.editors.diff [--format text|markdown] [--projekt PFAD] ALT [NEU]
        python -m schulerfolg.editors.diff --pfade ALTE_DATEI NEUE_DATEI   (oder zwei data-Ordner)

Zeigt, was sich in data/*.yaml zwischen zwei Versionen geändert hat, auf Deutsch.
ALT und NEU sind Git-Versionen (Commit, Branch, Tag); ohne NEU wird mit der Arbeitskopie verglichen.

  --format markdown   für einen Kommentar im Pull-Request (sonst: Text fürs Terminal)
  --projekt PFAD      Projektordner mit dem Git-Repository (sonst: der Ordner dieses Programms)
  --pfade             ALT und NEU sind Dateien oder Ordner statt Git-Versionen"""



def main(argv: list[str] | None = None) -> int:
    parser = GermanArgumentParser(prog="datadiff", usage_text=USAGE)
    parser.add_argument("old")
    parser.add_argument("new", nargs="?")
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.add_argument("--projekt", type=Path, default=PROJECT_ROOT)
    parser.add_argument("--pfade", action="store_true")
    try:
        args = parser.parse_args(argv)
        if args.pfade:
            if args.new is None:
                parser.error("--pfade braucht zwei Pfade")
            diffs = diff_paths(Path(args.old), Path(args.new))
        else:
            diffs = diff_versions(args.projekt, args.old, args.new)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except DiffError as error:
        print(error, file=sys.stderr)
        return 2
    sys.stdout.write(render_markdown(diffs) if args.format == "markdown" else render_text(diffs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
