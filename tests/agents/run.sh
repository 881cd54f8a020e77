#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The coding-agent check (`make agents`): installs the pinned Claude Code and Codex CLI from
# package-lock.json into BUILD_DIR/agents (or, with AGENTS_LATEST=1, the newest npm serves into
# BUILD_DIR/agents-latest) and runs run.mjs against BUILD_DIR/app/switchyard. Needs node >= 20,
# npm and the npm registry on the first run; later runs reuse the install while the lock is unchanged.
#   AGENTS_LATEST=1   the newest versions instead of the pinned ones
#   AGENTS_GOLDEN=1   also refresh tests/data/agents/ from the requests the agents sent
# Usage: tests/agents/run.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
binary=$build/app/switchyard
if [ ! -x "$binary" ]; then
  echo "agents: $binary is missing; build it first (make build)" >&2
  exit 1
fi

if [ -n "${AGENTS_LATEST:-}" ]; then
  dir=$build/agents-latest
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "name": "switchyard-agents-latest", "private": true }' >"$dir/package.json"
  echo "agents: installing @anthropic-ai/claude-code@latest and @openai/codex@latest into $dir"
  (cd "$dir" && timeout 300 npm install --no-audit --no-fund --loglevel=error \
    @anthropic-ai/claude-code@latest @openai/codex@latest)
else
  dir=$build/agents
  mkdir -p "$dir"
  if ! cmp -s "$here/package-lock.json" "$dir/package-lock.json" || [ ! -d "$dir/node_modules" ]; then
    echo "agents: installing the pinned agents (tests/agents/package-lock.json) into $dir"
    cp "$here/package.json" "$here/package-lock.json" "$dir/"
    (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# Claude Code's postinstall copies the platform's native binary over bin/claude.exe; an npm that
# skips install scripts leaves the placeholder, so run the script ourselves when that happened.
if ! timeout 30 "$dir/node_modules/.bin/claude" --version >/dev/null 2>&1; then
  echo "agents: claude does not start; running its postinstall (node install.cjs)"
  (cd "$dir/node_modules/@anthropic-ai/claude-code" && timeout 60 node install.cjs)
fi

golden=
[ -z "${AGENTS_GOLDEN:-}" ] || golden="--golden $root/tests/data/agents"
# shellcheck disable=SC2086  # $golden is empty or two words
exec timeout 420 node "$here/run.mjs" --switchyard "$binary" --agents "$dir" --out "$dir/compat.md" $golden
