#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Switchyard needs to build, test and run, if any are missing;
# with package names as arguments, those instead (fuzz/deps.sh, bench/run.sh).
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

packages=(
  g++ cmake ninja-build make
  qt6-base-dev          # Qt 6.4: Core, Network, Sql, Gui, Widgets, PrintSupport, Test
  libqt6sql6-sqlite     # the QSQLITE driver (only a Recommends of libqt6sql6)
  libsqlite3-dev        # the log writer binds its inserts on the same SQLite QSQLITE loads
  libzstd-dev           # log bodies: each distinct segment stored once, compressed
  libssl-dev            # log bodies: segments named by SHA-256 (OpenSSL's, with SHA-NI)
  libqt6svg6            # SVG icon plugin (window and tray icons)
  libqcustomplot-dev    # charts (CMake package QCustomPlotQt6)
  node-llhttp           # llhttp C sources: the HTTP/1.1 parser Node.js uses
  libsimdjson-dev       # JSON checked and read on the proxy path without building a tree
  qtkeychain-qt6-dev    # API keys in the system keychain (Secret Service over D-Bus)
  libsecret-1-0         # qtkeychain's Secret Service backend (loaded at run time)
  gnome-keyring dbus-daemon  # tests: a private keyring on a private D-Bus session
  postgresql            # team mode: the tests start a private PostgreSQL 15
  libqt6sql6-psql       # the QPSQL driver: team mode's shared log store
)
[ $# -gt 0 ] && packages=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "switchyard: missing Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "switchyard: installing missing Debian packages: ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive $cmd
