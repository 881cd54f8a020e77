#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders every view with realistic synthetic data in a real X server (Xvfb) into
# docs/screenshots/, through the widget tests' screenshot hooks.
set -euo pipefail
build=${1:-build}
out=${2:-docs/screenshots}
if ! command -v xvfb-run >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y --no-install-recommends xvfb xauth
  else
    echo "switchyard: screenshots need Xvfb: sudo apt-get install xvfb xauth" >&2
    exit 1
  fi
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Only the screenshot functions run: the tests proper run in make test.
for test in tst_MainWindow tst_RoutesPage tst_TracesPage tst_CostsPage tst_FailuresPage tst_SessionsPage tst_WindowEndToEnd tst_EvaluateDialog tst_AttachedWindow; do
  echo "switchyard: $test"
  functions=(screenshot)
  [ "$test" = tst_MainWindow ] && functions+=(screenshotDark screenshotSizes)
  [ "$test" = tst_TracesPage ] && functions+=(translationNotesTab)
  [ "$test" = tst_WindowEndToEnd ] && functions=(historyRestoresAnEarlierConfig)
  [ "$test" = tst_EvaluateDialog ] && functions=(evaluatesAndAppliesAgainstTheEngine) # evaluation.png
  [ "$test" = tst_AttachedWindow ] && functions=(callsAppearLive) # attached-window.png, a gateway in another process
  SWITCHYARD_SCREENSHOT_DIR="$out" XDG_RUNTIME_DIR="$PWD/$build/xdg-runtime" SWITCHYARD_BINARY="$PWD/$build/app/switchyard" \
    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb "$build/tests/$test" "${functions[@]}" >/dev/null
done
ls -l "$out"
