"""How long an editor waits under either preview: from saving one YAML value to the page showing it.

Starts ``mkdocs serve`` (or ``python portal serve --generator zensical``) on a copy of the project, changes one office's street in data/networks.yaml
and polls the office's page until the new value is served; also reads the rebuild time MkDocs logs.
The wait includes MkDocs' file polling (every 0.5 s) and its 0.1 s settling delay.

MkDocs logs "Documentation built in N seconds" only when that line differs from every earlier one (a
DuplicateFilter on its build logger), so a rebuild is known to be finished by "Reloading browsers",
and the list of logged rebuild times can be shorter than the number of edits.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

OFFICE_PAGE = "netzwerkstellen/altmarkkreis-salzwedel/"
BEFORE, AFTER = "Straße der Jugend 6", "Straße der Jugend 8"
_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
_RELOADED = "Reloading browsers"  # once after every rebuild, never filtered


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, log: Path, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _get(url):
            return time.perf_counter() - start
        if "Aborted" in log.read_text(encoding="utf-8", errors="replace"):
            raise SystemExit(f"mkdocs serve failed:\n{log.read_text(encoding='utf-8')[-3000:]}")
        time.sleep(0.05)
    raise SystemExit(f"mkdocs serve: {text!r} did not appear within {timeout:.0f} s (log: {log})")


def _wait_for_rebuilds(log: Path, rebuilds: int, timeout: float) -> None:
    start = time.perf_counter()
    while log.read_text(encoding="utf-8").count(_RELOADED) < rebuilds:
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"mkdocs serve: rebuild {rebuilds} did not finish within {timeout:.0f} s (log: {log})")
        time.sleep(0.05)


def rebuild_time(project: Path, env: dict[str, str] | None = None, edits: int = 2, timeout: float = 900,
                 generator: str = "mkdocs") -> dict:
    """Seconds from saving the edit to the page showing it (each edit), and MkDocs' logged build times.

    Under Zensical the pipeline's watcher prepares the tree again and Zensical rebuilds it; its live reload
    is blocked by the site's CSP (an inline script), so a browser shows the change on the next reload."""
    data = project / "data" / "networks.yaml"
    original = data.read_text(encoding="utf-8")
    if BEFORE not in original:
        raise SystemExit(f"{data}: {BEFORE!r} not found; update benchmarks/serve.py")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{OFFICE_PAGE}"
    log = project / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    if generator == "zensical":
        command = [sys.executable, str(project / "portal"), "serve", "--generator", "zensical", "--dev-addr",
                   f"127.0.0.1:{port}"]
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(command, cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    try:
        _wait_for(url, BEFORE, log, timeout)
        waits = []
        for n in range(edits):
            old, new = (BEFORE, AFTER) if n % 2 == 0 else (AFTER, BEFORE)
            time.sleep(1.0)  # let the file watcher settle after the previous build
            rebuilds = log.read_text(encoding="utf-8").count(_RELOADED)
            data.write_text(data.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            waits.append(round(_wait_for(url, new, log, timeout), 2))
            if generator == "mkdocs":
                _wait_for_rebuilds(log, rebuilds + 1, timeout)  # the page is written before the build has finished
            else:
                time.sleep(3.0)  # Zensical: no log line marks the end of a rebuild
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        data.write_text(original, encoding="utf-8")
    built = [float(s) for s in _BUILT.findall(log.read_text(encoding="utf-8"))]
    return {"edit_to_page_seconds": waits, "first_build_seconds": built[0] if built else None,
            "rebuild_seconds": built[1:]}


def main() -> int:
    """``python benchmarks/serve.py``: today's data, copied into a temporary folder (the checkout is not touched)."""
    import json
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import make_project

    with tempfile.TemporaryDirectory(prefix="portal-serve-") as tmp:
        project = make_project(1, Path(tmp))
        result = {"mkdocs_serve": rebuild_time(project),
                  "mkdocs_serve_without_search": rebuild_time(project, {"PORTAL_SKIP": "search"}),
                  "zensical_serve": rebuild_time(project, generator="zensical")}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
