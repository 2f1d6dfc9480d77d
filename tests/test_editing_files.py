"""The files that make editing by pull request work: CI workflow, pre-commit, issue form, templates, VS Code."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from schulerfolg.site.urls import CORRECTION_FORM, Feedback

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow_steps() -> list[dict]:
    return [step for job in load(WORKFLOW)["jobs"].values() for step in job.get("steps", [])]


def test_workflow_runs_on_pull_requests_and_deploys_only_from_main() -> None:
    flow = load(WORKFLOW)
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_workflow_calls_the_commands_of_ci_run_and_they_exist() -> None:
    runs = "\n".join(s["run"] for s in workflow_steps() if "run" in s)
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # one set-up script for the three, so that they cannot drift
    for command in (".venv/bin/python validate", "bash tools/setup.sh --test", ".venv/bin/python -m mypy"):
        assert command in runs and command in ci_run, command
    assert "bash tools/setup.sh && .venv/bin/mkdocs build" in readme
    assert "bash .ci/run" in runs and "bash .ci/run" in readme
    assert ".venv/bin/mkdocs build --strict" in runs
    assert "pip install" not in runs + ci_run  # only tools/setup.sh installs, from the lock
    for path in ("validate", ".ci/run", "tools/setup.sh", "requirements.txt", "requirements-test.txt", "mkdocs.yml",
                 "mypy.ini"):
        assert (ROOT / path).is_file(), path
    for module in re.findall(r"-m (schulerfolg(?:\.\w+)+)", runs):
        assert (ROOT / "hooks" / Path(*module.split("."))).with_suffix(".py").is_file(), module


def test_workflow_pins_its_container_and_actions() -> None:
    job = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]["check"]
    assert re.fullmatch(r"python:3\.11-bookworm@sha256:[0-9a-f]{64}", job["container"])
    for step in workflow_steps():
        if "uses" in step:
            assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_the_setup_installs_only_from_hash_locked_files() -> None:
    setup = (ROOT / "tools" / "setup.sh").read_text(encoding="utf-8")
    assert "--require-hashes" in setup
    for lock in ("requirements.txt", "requirements-test.txt"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        pins = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==\S+ \\$", text, flags=re.M)
        assert len(pins) > 20
        entries = re.split(r"\n(?=\S)", text.strip())
        for entry in entries:
            if entry.startswith("#"):
                continue
            assert "--hash=sha256:" in entry, entry.splitlines()[0]
    wanted = {line.split("==")[0].lower() for line in (ROOT / "requirements.in").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    locked = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line}
    assert wanted <= locked  # a package added to requirements.in is not forgotten in the lock


def test_workflow_uploads_the_preview_and_comments_the_data_diff() -> None:
    steps = workflow_steps()
    preview = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert preview["with"]["path"] == "site/" and preview["with"]["name"] == "vorschau"
    diff = next(s for s in steps if "schulerfolg.editors.diff" in s.get("run", ""))
    assert "--format markdown" in diff["run"] and "pull_request" in diff["if"]
    comment = next(s for s in steps if s.get("uses", "").startswith("actions/github-script@"))
    assert "datadiff.md" in comment["with"]["script"]
    validate = next(s for s in steps if "validate" in s.get("run", ""))
    for step in (diff, comment):  # data that fails validation is never diffed into a public comment
        assert f"steps.{validate['id']}.outcome == 'success'" in step["if"]


def test_the_data_diff_step_command_line_is_accepted() -> None:
    """The workflow passes two revisions and --format markdown; with no change the comment says so."""
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "schulerfolg.editors.diff", "--format", "markdown", "HEAD", "HEAD"],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert "Keine Änderungen an den Daten." in result.stdout


def test_pre_commit_runs_the_project_commands_on_data_changes() -> None:
    hooks = {h["id"]: h for repo in load(ROOT / ".pre-commit-config.yaml")["repos"] for h in repo["hooks"]}
    validate, schemas = hooks["validate-data"], hooks["schemas-current"]
    assert re.search(validate["files"], "data/schools.yaml") and not re.search(validate["files"], "docs/index.md")
    assert re.search(schemas["files"], "hooks/schulerfolg/data/model.py")
    for hook in (validate, schemas):
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        program, script = shlex.split(hook["entry"])
        assert program == "python" and (ROOT / script).is_file()
        result = subprocess.run([sys.executable, script], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr


def test_correction_form_has_the_field_the_links_prefill() -> None:
    form = load(ROOT / ".github" / "ISSUE_TEMPLATE" / CORRECTION_FORM)
    fields = {item.get("id"): item for item in form["body"] if item.get("id")}
    assert form["name"] == "Korrektur melden"
    assert fields["seite"]["type"] == "input" and fields["seite"]["validations"]["required"] is True
    url = Feedback("https://github.com/example/repo", "https://portal.test/").correction_url("schulen/x.md", "X")
    assert f"template={CORRECTION_FORM}" in url and "&seite=https%3A%2F%2Fportal.test%2Fschulen%2Fx%2F" in url
    assert "öffentlich" in form["body"][0]["attributes"]["value"]
    config = load(ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml")
    assert config["contact_links"][0]["url"].endswith("/kontakt-finden/")


def test_pull_request_template_is_a_german_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    checks = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(checks) >= 6
    assert any("geprueft_am" in c for c in checks) and any("veroeffentlichen" in c for c in checks)


def test_vs_code_recommends_the_yaml_extension_and_maps_every_schema() -> None:
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    schemas = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for schema, data_file in schemas.items():
        assert (ROOT / schema).is_file() and (ROOT / data_file).is_file()
        first_line = (ROOT / data_file).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# yaml-language-server: $schema=../{schema.removeprefix('./')}"
    assert set(schemas.values()) == {f"data/{p.name}" for p in (ROOT / "data").glob("*.yaml")}


def test_contributing_guide_quotes_real_messages_of_the_validator() -> None:
    """The guide shows messages editors will really see; they must not drift from the code."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^(data/\w+\.yaml:\d+: .+)$", guide, re.M)
    assert len(quoted) >= 5
    goldens = {line.strip() for p in (ROOT / "tests" / "fixtures" / "invalid").rglob("expected.txt")
               for line in p.read_text(encoding="utf-8").splitlines()}
    for line in quoted:
        assert line in goldens, line
