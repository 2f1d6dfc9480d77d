#!/usr/bin/env bash
# Update the locked Python dependencies (maintainers only). The packages the project asks for, pinned with ==,
# are in requirements.in (build) and requirements-test.in (tests, includes the build); this script resolves
# them, with every package they pull in, to requirements.txt and requirements-test.txt with sha256 hashes,
# which tools/setup.sh, .ci/run and the hosted workflow install with pip --require-hashes.
#
#   bash tools/lock.sh              # after editing a .in file: lock again, keep all other versions
#   bash tools/lock.sh --upgrade    # move every package to its newest release (then build and test!)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .cache/lock-venv
.cache/lock-venv/bin/pip install -q --disable-pip-version-check "uv==0.13.9"
uv=.cache/lock-venv/bin/uv
common=(--generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-header
        --index-url https://pypi.org/simple --quiet)
upgrade=()
[ "${1:-}" = "--upgrade" ] && upgrade=(--upgrade)
"$uv" pip compile "${common[@]}" "${upgrade[@]}" requirements.in -o requirements.txt
"$uv" pip compile "${common[@]}" requirements-test.in -c requirements.txt -o requirements-test.txt
echo "requirements.txt und requirements-test.txt neu geschrieben."
