"""The editors' check: every problem in the data files and the pages in docs/, in about a second, without
building the site.

    python validate                     (in the project folder: the wrapper script sets the path)
    PYTHONPATH=hooks python -m schulerfolg.editors.validate

Prints one line per problem, ``datei:zeile: feld: meldung`` in German, then a summary. Exit code 0
when there are no errors (warnings, e.g. records not checked for 12 months, are allowed), 1 with
errors, 2 when the command itself could not run. Never a traceback: editors are not developers.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from schulerfolg.editors.arguments import GermanArgumentParser
from schulerfolg.data.problems import Problem, one_line

if TYPE_CHECKING:
    from schulerfolg.data.project import Project

USAGE = """Aufruf: python validate [--heute JJJJ-MM-TT] [--format text|github] [--ordner PFAD]

Prüft die Daten in data/ und die Seiten in docs/ (Kopfbereich, Links, Bilder, Überschriften, kein
unsicheres HTML) und meldet jedes Problem als „datei:zeile: feld: meldung“.

  --heute JJJJ-MM-TT   Stichtag für die Warnung „vor mehr als 12 Monaten geprüft“ (sonst: heute)
  --format github      zusätzlich Anmerkungen für GitHub Actions (erscheinen direkt an der Zeile)
  --ordner PFAD        Projektordner (sonst: der Ordner dieses Programms)

Rückgabewert: 0 ohne Fehler (Warnungen sind erlaubt), 1 bei Fehlern, 2 wenn die Prüfung nicht lief."""

PROJECT_ROOT = Path(__file__).resolve().parents[3]



def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum im Format JJJJ-MM-TT") from None


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = GermanArgumentParser(prog="validate", usage_text=USAGE, add_help=True)
    parser.add_argument("--heute", type=_date, default=None)
    parser.add_argument("--format", choices=("text", "github"), default="text")
    parser.add_argument("--ordner", type=Path, default=PROJECT_ROOT)
    return parser.parse_args(argv)


def run(root: Path, today: datetime.date, github: bool = False) -> int:
    """Check ``root/data``, print the report, return the exit code."""
    from schulerfolg.data.load import check_project  # imported here so that a missing package is reported in German

    from schulerfolg.site.targets import DocsSite, generated_targets
    from schulerfolg.qa.docs import check_docs

    project, problems = check_project(root / "data", root, today=today)
    site = generated_targets(project, root / "docs") if project is not None else DocsSite()
    problems = sorted(problems + check_docs(root / "docs", root, site))
    for problem in problems:
        print(problem)
        if github:
            print(github_annotation(problem))
    errors = sum(not p.warning for p in problems)
    if problems:
        print()
    print(summary(errors, len(problems) - errors, project))
    return 1 if errors else 0


def summary(errors: int, warnings: int, project: Project | None) -> str:
    hints = f" ({warnings} {'Warnung' if warnings == 1 else 'Warnungen'})" if warnings else ""
    if errors:
        return (f"{errors} Fehler{hints}. Bitte korrigieren: Die Website wird erst wieder gebaut, "
                "wenn alle Fehler behoben sind. Hilfe: CONTRIBUTING.md, Abschnitt „Was die Prüfung meldet“.")
    counts = ""
    if project is not None:
        counts = (f": {len(project.offices)} Netzwerkstellen, {len(project.schools)} Schulen, "
                  f"{len(project.municipalities)} Gemeinden")
    return f"Keine Fehler{hints}. Die Daten sind in Ordnung{counts}."


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command: the message appears beside the line in the pull request."""
    kind = "warning" if problem.warning else "error"
    props = f"file={_escape(problem.file, True)}"
    if problem.line:
        props += f",line={problem.line}"
    if problem.field:
        props += f",title={_escape(problem.field, True)}"
    return f"::{kind} {props}::{_escape(problem.message)}"


def _escape(text: str, prop: bool = False) -> str:
    """GitHub's escaping for workflow commands: ``%``, CR and LF in the message; also ``:`` and ``,`` in
    properties. Other control and bidi characters are shown as ``[U+…]`` (``problems.one_line``)."""
    text = one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parse(argv)
        return run(args.ordner.resolve(), args.heute or datetime.date.today(), github=args.format == "github")
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        return 130
    except ImportError as exc:
        print(f"Die Prüfung konnte nicht starten: Ein Python-Paket fehlt ({exc.name}). Bitte einmal "
              "„bash tools/setup.sh“ ausführen (siehe README).", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 -- an editor must never see a traceback
        print(f"Die Prüfung ist mit einem internen Fehler abgebrochen ({type(exc).__name__}: {exc}). "
              "Das liegt am Prüfprogramm, nicht unbedingt an Ihren Daten: bitte der Koordinierungsstelle "
              "melden.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
