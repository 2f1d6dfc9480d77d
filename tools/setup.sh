#!/usr/bin/env bash
# Set up everything the build needs, on Debian or Ubuntu, and with --test also what the tests need.
# One script for the README, .ci/run and the hosted workflow, so that the three cannot drift.
#
#   bash tools/setup.sh          # Debian packages for the PDF handbook, .venv with the locked build packages
#   bash tools/setup.sh --test   # also Chromium, poppler-utils, Node.js/npm and the test packages
#
# Debian packages are installed only where missing (apt-get needs root). Without root, the script names the
# missing packages and stops before anything is built. Python packages come from the lock files
# (requirements.txt, requirements-test.txt; see tools/lock.sh), every file checked by its sha256 hash.
# Safe to run again: what is already there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=build
case "${1:-}" in
  "") ;;
  --test) mode=test ;;
  *) echo "Aufruf: bash tools/setup.sh [--test]" >&2; exit 2 ;;
esac

has_library() { ldconfig -p 2>/dev/null | grep -q "$1"; }
need=()
# The PDF handbook (WeasyPrint): Pango and fontconfig lay out the text; HarfBuzz-Subset embeds the fonts
# exactly as on every other machine (without it WeasyPrint falls back to fontTools: other bytes).
has_library libpango-1.0.so.0 || need+=(libpango-1.0-0)
has_library libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
has_library libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
has_library libfontconfig.so.1 || need+=(libfontconfig1)
python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)         # browser tests (Playwright drives it)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)    # PDF pages as images
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)            # axe-core, pinned in package-lock.json
fi

if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installiere Debian-Pakete: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Es fehlen Debian-Pakete: ${need[*]}" >&2
    echo "Bitte als root installieren: apt-get install ${need[*]}" >&2
    echo "Dann diesen Befehl noch einmal ausführen: bash tools/setup.sh${1:+ $1}" >&2
    exit 1
  fi
fi

lock=requirements.txt
[ "$mode" = test ] && lock=requirements-test.txt
if ! .venv/bin/python -c "" 2>/dev/null; then
  rm -rf .venv
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check --require-hashes -r "$lock"

if [ "$mode" = test ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "Eingerichtet ($mode): .venv mit den Paketen aus $lock."
