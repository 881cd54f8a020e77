#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command against a private system keychain: a throwaway HOME, its own D-Bus session and
# a GNOME Keyring unlocked with a throwaway password. Tests that store keys never touch the
# user's real keychain.
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-private-keyring: $tool is missing (make deps installs it)" >&2; exit 1; }
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config"
unset DISPLAY WAYLAND_DISPLAY
# dbus-run-session warns that it cannot raise its fd limit in a container; that is harmless.
exec dbus-run-session -- bash -c '
  printf "%s" "throwaway-$$" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' with-private-keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
