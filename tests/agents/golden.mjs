// SPDX-License-Identifier: GPL-3.0-or-later
// Saves the request bodies the agents sent, as Switchyard received them (before any translation),
// as golden inputs for the dialect tests: <agent>-<version>-first-turn.json (the prompt that asks
// for the file) and <agent>-<version>-tool-result-turn.json (the same conversation carrying the
// tool's result), both taken from the agent's write scenario on its own dialect's target kind.
// Ids that identify a machine or a session become fixed fake ones and the scratch directories
// become /tmp/agent-work and /tmp/agent-home, so the files hold nothing of the machine that ran them.
import fs from 'node:fs';
import path from 'node:path';

const NATIVE_TARGET = { 'claude-code': 'anthropic', codex: 'openai' };

const hasToolResult = (body) => JSON.stringify(body.messages ?? body.input ?? []).match(/"type":"(tool_result|function_call_output)"/);

// Replaces what names the machine, the session or the scratch directory (ids also inside others,
// as in Codex's "msg_<uuid>"); one sanitizer per cell, so an id keeps its fake across the turns.
export function sanitizer(cell, scratch) {
  const uuids = new Map();
  const hexes = new Map();
  const fake = (map, value, make) => {
    if (!map.has(value)) map.set(value, make(map.size + 1));
    return map.get(value);
  };
  const dashed = (p) => p.replace(/[^A-Za-z0-9]/g, '-'); // how Claude Code names a project's folder
  return (text) => text
    .replaceAll(cell.work, '/tmp/agent-work').replaceAll(dashed(cell.work), dashed('/tmp/agent-work'))
    .replaceAll(cell.home, '/tmp/agent-home').replaceAll(scratch, '/tmp/agent-scratch')
    .replace(/(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/gi,
      (id) => fake(uuids, id.toLowerCase(), (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`))
    .replace(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g, (id) => fake(hexes, id, (n) => String(n).padStart(64, '0')));
}

export async function writeGolden({ cells, agents, url, scratch, dir, getJson }) {
  fs.mkdirSync(dir, { recursive: true });
  let ok = true;
  for (const [agent, target] of Object.entries(NATIVE_TARGET)) {
    const cell = cells.find((c) => c.agent === agent && c.target === target && c.scenario === 'write');
    if (!cell?.rows) { console.log(`golden: ${agent}: its write scenario did not run`); ok = false; continue; }
    const bodies = [];
    for (const row of cell.rows) bodies.push(JSON.parse((await getJson(`${url}/api/requests/${row.id}`)).request_body));
    const sanitize = sanitizer(cell, scratch);
    const turns = {
      'first-turn': bodies.find((b) => JSON.stringify(b).includes('SWITCHYARD-WRITE') && !hasToolResult(b)),
      'tool-result-turn': bodies.find((b) => hasToolResult(b)),
    };
    for (const [turn, body] of Object.entries(turns)) {
      const file = path.join(dir, `${agent}-${agents[agent].version}-${turn}.json`);
      if (!body) { console.log(`golden: ${agent}: no ${turn} request among the ${bodies.length} it sent`); ok = false; continue; }
      const text = sanitize(`${JSON.stringify(body, null, 1)}\n`);
      fs.writeFileSync(file, text);
      console.log(`golden: wrote ${path.relative(process.cwd(), file)} (${Math.round(text.length / 1024)} KiB)`);
    }
  }
  return ok;
}
