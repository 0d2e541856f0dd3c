#!/usr/bin/env bash
# Install the legacy Data Package readers the client tests run (tests/test_clients_legacy.py):
# datapackage-py in its own venv (tests/clients/.venv: its pins conflict with kordata's) and
# datapackage-js with npm (tests/clients/js/node_modules, from package-lock.json). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --no-compile -r datapackage-py.txt
npm ci --prefix js --no-audit --no-fund --loglevel=error
