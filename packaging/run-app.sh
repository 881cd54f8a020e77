#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts the built app. Without a display the app itself runs headless and says so.
set -euo pipefail
bin=$1; shift
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "switchyard: no display found (DISPLAY and WAYLAND_DISPLAY are unset): starting headless; Ctrl+C stops it."
fi
exec "$bin" "$@"
