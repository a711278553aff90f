#!/usr/bin/env bash
# Installs Debian packages the kit needs (wrk, chromium, sshd, iproute2) when their command is missing.
# Usage: scripts/apt-install.sh COMMAND PACKAGE [--no-start]
# --no-start: the package's service is not started by the install (Debian's policy-rc.d, for the
# install only): the kit runs sshd itself, inside the network namespaces its tests make.
set -u
command -v "$1" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "bustbench needs '$1' (Debian package $2): install it with apt-get, or run make as root" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "bustbench needs '$1' (Debian package $2), and this host has no apt-get: install it by hand" >&2
  exit 1
fi
echo "installing $2 (for $1) with apt-get..." >&2
policy=/usr/sbin/policy-rc.d
if [ "${3:-}" = "--no-start" ] && [ ! -e "$policy" ]; then
  $sudo sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
command -v "$1" >/dev/null 2>&1 || { echo "could not install $2" >&2; exit 1; }
