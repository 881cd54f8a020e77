#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The SDK check: the official Anthropic and OpenAI Node SDKs against a headless Switchyard
# whose aliases point at a fake upstream (tests/sdk/fake-upstream.mjs). Not run by CTest: it
# needs node, npm and the npm registry. Usage: tests/sdk/run.sh [path/to/switchyard]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binary=$(realpath "${1:-$here/../../build/app/switchyard}")
scratch=$(mktemp -d /tmp/switchyard-sdk.XXXXXX)
cleanup() { kill "$upstream_pid" "$switchyard_pid" 2>/dev/null || true; rm -rf "$scratch"; }
upstream_pid=; switchyard_pid=
trap cleanup EXIT

cp "$here/fake-upstream.mjs" "$here/sdk-check.mjs" "$scratch/"
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent @anthropic-ai/sdk openai
version() { sed -n 's/^  "version": "\(.*\)",$/\1/p' "node_modules/$1/package.json"; }
echo "node $(node --version), openai $(version openai), @anthropic-ai/sdk $(version @anthropic-ai/sdk)"

: >upstream.log; : >switchyard.log
node fake-upstream.mjs 0 >upstream.log 2>&1 & upstream_pid=$!
until grep -q 'fake upstream on' upstream.log; do sleep 0.1; done
port=$(sed -n 's/fake upstream on //p' upstream.log)

cat >config.json <<JSON
{ "version": 1,
  "listen": { "host": "127.0.0.1", "port": 4141 },
  "providers": [
    { "name": "fake-openai", "kind": "openai", "base_url": "http://127.0.0.1:$port/v1" },
    { "name": "fake-anthropic", "kind": "anthropic", "base_url": "http://127.0.0.1:$port" } ],
  "aliases": [
    { "name": "oai-model", "strategy": "fallback", "targets": [ { "provider": "fake-openai", "model": "gpt-4o-mini" } ] },
    { "name": "claude-model", "strategy": "fallback", "targets": [ { "provider": "fake-anthropic", "model": "claude-sonnet-4-5" } ] } ] }
JSON
"$binary" --headless --port 0 --config config.json --db "$scratch/requests.db" >switchyard.log 2>&1 & switchyard_pid=$!
until grep -q 'listening on' switchyard.log; do sleep 0.1; kill -0 "$switchyard_pid"; done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' switchyard.log | head -n1)
echo "switchyard at $url, fake upstream at 127.0.0.1:$port"
status=0
node sdk-check.mjs "$url" || status=$?
# What the upstream got, translated by Switchyard: one line per request.
node -e '
fetch(process.argv[1]).then((r) => r.json()).then((log) => { for (const { path, body } of log) {
  const last = (body.messages || []).at(-1) || {};
  const kinds = Array.isArray(last.content) ? last.content.map((b) => b.type).join("+") : typeof last.content;
  console.log(`upstream got ${path} model=${body.model} stream=${!!body.stream} tools=${(body.tools || []).length}` +
              ` system=${JSON.stringify(body.system ?? null)} last=${last.role}:${kinds}`);
} });' "http://127.0.0.1:$port/log"
exit $status
