// SPDX-License-Identifier: GPL-3.0-or-later
// The coding-agent check: the real Claude Code and Codex CLI, non-interactive and with their
// default settings, against a headless Switchyard whose aliases lead to agent-upstream.mjs,
// once through an anthropic-kind provider and once through an openai-kind one, each asked for a
// plain answer and for a tool round trip that writes a file; then the traffic they made, as a
// baseline, evaluated on the openai-kind target (`switchyard evaluate`). Prints one line per
// cell and the compatibility table, writes the table to --out, and exits non-zero when a cell
// or the evaluation fails.
//
// Usage: node run.mjs --switchyard BIN --agents DIR --out FILE [--golden DIR]
//   --agents   an npm install of @anthropic-ai/claude-code and @openai/codex (see run.sh)
//   --golden   also write the request bodies the agents sent into DIR (see golden.mjs)
// Env: AGENTS_TIMEOUT (seconds per agent run, default 60), AGENTS_BUDGET (seconds for all, 270),
//      AGENTS_CODEX_SANDBOX (the write scenario's codex sandbox, default workspace-write),
//      AGENTS_ONLY (a regular expression over cell names, e.g. "codex.*openai").
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeGolden } from './golden.mjs';

const { values: opts } = parseArgs({ options: { switchyard: { type: 'string' }, agents: { type: 'string' },
  out: { type: 'string' }, golden: { type: 'string' } } });
const here = path.dirname(new URL(import.meta.url).pathname);
const agentTimeout = Number(process.env.AGENTS_TIMEOUT || 60);
const deadline = Date.now() + Number(process.env.AGENTS_BUDGET || 270) * 1000;
const only = new RegExp(process.env.AGENTS_ONLY || '.');
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-agents.')));
const children = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A long-running child whose first line matching `ready` carries the address it listens on.
function serve(command, args, ready, logFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const log = fs.createWriteStream(logFile);
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${command}: not ready after 15 s (see ${logFile})`)), 15000);
    const onData = (d) => {
      log.write(d);
      seen += d;
      const match = ready.exec(seen);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${seen.slice(-2000)}`)));
  });
}

async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return res.json();
}

function version(pkg) {
  return JSON.parse(fs.readFileSync(path.join(opts.agents, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

const agents = {
  'claude-code': { label: 'Claude Code', version: version('@anthropic-ai/claude-code'), bin: 'claude',
    // Only what a user sets to point Claude Code at a gateway; CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC
    // and DISABLE_AUTOUPDATER stop telemetry and update checks to Anthropic, not model calls.
    setup: (cell, url) => ({
      env: { ANTHROPIC_BASE_URL: url, ANTHROPIC_AUTH_TOKEN: 'unused', ANTHROPIC_MODEL: cell.alias,
        ANTHROPIC_SMALL_FAST_MODEL: cell.alias, ANTHROPIC_DEFAULT_HAIKU_MODEL: cell.alias,
        ANTHROPIC_DEFAULT_SONNET_MODEL: cell.alias, ANTHROPIC_DEFAULT_OPUS_MODEL: cell.alias,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1' },
      // As root --dangerously-skip-permissions is refused; acceptEdits lets Write through.
      args: ['-p', ...(cell.scenario === 'write' ? ['--permission-mode', 'acceptEdits'] : []), cell.prompt],
    }) },
  codex: { label: 'Codex CLI', version: version('@openai/codex'), bin: 'codex',
    setup: (cell, url) => {
      const codexHome = path.join(cell.home, '.codex');
      fs.mkdirSync(codexHome, { recursive: true });
      // The README's provider table, plus no retries: a refused request fails at once instead of
      // five reconnects (and --strict-config fails if a later Codex renames these keys).
      fs.writeFileSync(path.join(codexHome, 'config.toml'), [`model = "${cell.alias}"`, 'model_provider = "switchyard"', '',
        '[model_providers.switchyard]', 'name = "Switchyard"', `base_url = "${url}/v1"`, 'wire_api = "responses"',
        'request_max_retries = 0', 'stream_max_retries = 0', 'stream_idle_timeout_ms = 30000', ''].join('\n'));
      const sandbox = cell.scenario === 'write' ? ['-s', process.env.AGENTS_CODEX_SANDBOX || 'workspace-write'] : [];
      return { env: { CODEX_HOME: codexHome },
        args: ['exec', '--strict-config', '--skip-git-repo-check', '--color', 'never', ...sandbox, cell.prompt] };
    } },
};

const targets = { anthropic: 'to-anthropic', openai: 'to-openai' };
const scenarios = {
  plain: { label: 'plain answer', prompt: 'Reply with a one-line greeting.', expect: 'SWITCHYARD-OK' },
  write: { label: 'tool round trip (writes a file)', expect: 'SWITCHYARD-DONE', file: 'note.txt', word: 'written-through-switchyard',
    prompt: 'Create the file this marker asks for: SWITCHYARD-WRITE note.txt written-through-switchyard' },
};

// Runs one agent under `timeout` in a fresh directory; resolves {code, output}.
function runAgent(cell, url) {
  const agent = agents[cell.agent];
  const { env, args } = agent.setup(cell, url);
  const bin = path.join(opts.agents, 'node_modules', '.bin', agent.bin);
  const baseEnv = { PATH: process.env.PATH, HOME: cell.home, LANG: 'C.UTF-8', TERM: 'dumb', NO_COLOR: '1', TMPDIR: os.tmpdir() };
  return new Promise((resolve) => {
    const child = spawn('timeout', ['-k', '5', String(agentTimeout), bin, ...args],
      { cwd: cell.work, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

// The request-log rows Switchyard has written since `before` (a set of ids), once they stop growing.
async function newRows(url, before) {
  let rows = [];
  for (let i = 0, stable = 0; i < 20 && stable < 2; i++) {
    await sleep(150);
    const now = (await getJson(`${url}/api/requests?limit=500`)).requests.filter((r) => !before.has(r.id));
    stable = now.length === rows.length && now.length > 0 ? stable + 1 : 0;
    rows = now;
  }
  return rows.reverse();
}

// The agents' recorded traffic as a baseline, evaluated with `switchyard evaluate` on the
// openai-kind target: real agent requests (Anthropic Messages from Claude Code, Responses from
// Codex) replayed through a proposed route that is not applied. Passes when the evaluation ran
// to its end; the candidate's own failures are reported, not judged.
async function evaluateTraffic(url, since) {
  const res = await fetch(`${url}/api/baselines`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'agents', filter: { since, limit: 1000 } }), signal: AbortSignal.timeout(30000) });
  const baseline = await res.json();
  if (res.status !== 201) {
    console.log(`FAIL evaluation: the baseline was refused (${res.status}): ${JSON.stringify(baseline)}`);
    return false;
  }
  const run = spawnSync(opts.switchyard, ['evaluate', '--baseline', 'agents', '--target', 'fake-openai/gpt-5-mini', '--url', url],
    { encoding: 'utf8', timeout: 120000 });
  fs.writeFileSync(path.join(scratch, 'evaluation.out'), `${run.stdout}\n${run.stderr}`);
  const ok = run.status === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'} switchyard evaluate of ${baseline.requests} recorded agent requests on fake-openai/gpt-5-mini`
    + ` (exit ${run.status}${baseline.skipped.length ? `; ${baseline.skipped.length} not evaluable: ${[...new Set(baseline.skipped.map((s) => s.reason))].join(', ')}` : ''})`);
  const summary = (run.stdout || '').split('\n');
  const table = summary.findIndex((line) => line.startsWith('REQUEST'));
  console.log(summary.slice(0, table < 0 ? summary.length : table).join('\n'));
  if (!ok) console.log((run.stderr || '').slice(-2000));
  return ok;
}

async function runCell(cell, url, upstream) {
  cell.work = path.join(scratch, `work-${cell.name}`);
  cell.home = path.join(scratch, `home-${cell.name}`);
  fs.mkdirSync(cell.work, { recursive: true });
  fs.mkdirSync(cell.home, { recursive: true });
  const before = new Set((await getJson(`${url}/api/requests?limit=1000`)).requests.map((r) => r.id));
  const upstreamBefore = (await getJson(`${upstream}/log`)).length;
  const started = Date.now();
  const { code, output } = await runAgent(cell, url);
  cell.seconds = (Date.now() - started) / 1000;
  cell.output = output;
  fs.writeFileSync(path.join(scratch, `${cell.name}.out`), output);
  cell.rows = await newRows(url, before);
  cell.upstream = (await getJson(`${upstream}/log`)).slice(upstreamBefore);
  const scenario = scenarios[cell.scenario];
  const problems = [];
  const bad = cell.rows.filter((r) => r.outcome !== 'ok' || r.status < 200 || r.status > 299);
  // The last attempt's message is the cause; the row's own message wraps it in the alias's summary.
  for (const r of bad) problems.push(`HTTP ${r.status} ${r.error_class ?? r.outcome}: ${r.attempts.at(-1)?.message ?? r.error_message ?? ''}`.trim());
  for (const e of cell.upstream.filter((e) => e.error)) problems.push(`upstream refused ${e.path}: ${JSON.stringify(e.error)}`);
  if (code === 124 || code === 137) problems.push(`agent timed out after ${agentTimeout} s`);
  else if (code !== 0) problems.push(`agent exited with ${code}`);
  if (!output.includes(scenario.expect)) problems.push(`no ${scenario.expect} in the agent's output`);
  if (!cell.rows.length) problems.push('no request reached Switchyard');
  if (scenario.file) {
    const file = path.join(cell.work, scenario.file);
    const content = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
    if (content !== scenario.word) problems.push(content === null ? `${scenario.file} not written` : `${scenario.file} holds ${JSON.stringify(content)}`);
  }
  cell.problems = [...new Set(problems)];
  cell.ok = cell.problems.length === 0;
}

function explain(cell, url) {
  console.log(`  why: ${cell.problems.join('\n       ')}`);
  console.log('  agent output (last 15 lines):');
  for (const line of cell.output.trimEnd().split('\n').slice(-15)) console.log(`    | ${line}`);
  const errors = cell.rows.filter((r) => r.outcome !== 'ok').slice(-3);
  if (errors.length) console.log(`  error rows in ${url}/api/requests:`);
  for (const r of errors)
    console.log(`    ${r.id} ${r.endpoint} ${r.status} ${r.error_class}: ${r.error_message}` +
      ` (attempts: ${r.attempts.map((a) => `${a.provider}/${a.model} ${a.status} ${a.message ?? ''}`).join('; ')})`);
}

// The table cell's text for a result: "pass", or "fail: " and the first reason, shortened.
function verdict(cell) {
  if (cell.skipped) return `not run: ${cell.skipped}`;
  if (cell.ok) return 'pass';
  const reason = cell.problems[0].replace(/\s+/g, ' ').replaceAll('|', '\\|');
  return `fail: ${reason.length > 140 ? `${reason.slice(0, 139)}…` : reason}`;
}

function table(cells, sy) {
  const lines = [`Generated by \`make agents\` on ${new Date().toISOString().slice(0, 10)} with ${sy}, a scripted upstream`,
    '(`tests/agents/agent-upstream.mjs`) and each agent\'s default settings.', '',
    '| Agent | Version | Target kind | Scenario | Result |', '|---|---|---|---|---|'];
  for (const c of cells)
    lines.push(`| ${agents[c.agent].label} | ${agents[c.agent].version} | ${c.target} | ${scenarios[c.scenario].label} | ${verdict(c)} |`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  const upPort = await serve('node', [path.join(here, 'agent-upstream.mjs'), '0'], /agent upstream on (\d+)/, path.join(scratch, 'upstream.log'));
  const upstream = `http://127.0.0.1:${upPort}`;
  fs.writeFileSync(path.join(scratch, 'config.json'), JSON.stringify({ version: 1,
    listen: { host: '127.0.0.1', port: 4141 },
    providers: [{ name: 'fake-anthropic', kind: 'anthropic', base_url: upstream },
      { name: 'fake-openai', kind: 'openai', base_url: `${upstream}/v1` }],
    aliases: [{ name: targets.anthropic, strategy: 'fallback', targets: [{ provider: 'fake-anthropic', model: 'claude-sonnet-4-5' }] },
      { name: targets.openai, strategy: 'fallback', targets: [{ provider: 'fake-openai', model: 'gpt-5-mini' }] }],
    // OpenAI's list price, for the evaluation's figures (the shipped table has no gpt-5 models yet).
    pricing: [{ provider: 'fake-openai', model: 'gpt-5-mini', input_per_mtok: 0.25, output_per_mtok: 2.0 }] }, null, 2));
  const url = await serve(opts.switchyard, ['--headless', '--port', '0', '--config', 'config.json', '--db', path.join(scratch, 'requests.db')],
    /listening on (http:\/\/[^\s]+)/, path.join(scratch, 'switchyard.log'));
  const sy = spawnSync(opts.switchyard, ['--version'], { encoding: 'utf8' }).stdout.trim() || 'switchyard';
  console.log(`${sy} at ${url}, agent upstream at ${upstream}, scratch ${scratch}`);
  console.log(Object.values(agents).map((a) => `${a.label} ${a.version}`).join(', ') + `, node ${process.version}`);

  const cells = [];
  const since = Date.now();
  for (const agent of Object.keys(agents))
    for (const target of Object.keys(targets))
      for (const scenario of Object.keys(scenarios)) {
        const name = `${agent}-${target}-${scenario}`;
        if (only.test(name)) cells.push({ name, agent, target, scenario, alias: targets[target], prompt: scenarios[scenario].prompt });
      }
  for (const cell of cells) {
    const title = `${agents[cell.agent].label} ${agents[cell.agent].version} → ${cell.target}, ${scenarios[cell.scenario].label}`;
    if (Date.now() > deadline) {
      cell.skipped = 'time budget spent';
      console.log(`SKIP ${title}: the time budget (AGENTS_BUDGET) is spent`);
      continue;
    }
    await runCell(cell, url, upstream);
    console.log(`${cell.ok ? 'PASS' : 'FAIL'} ${title}  ${cell.seconds.toFixed(1)} s, ${cell.rows.length} request(s)`);
    if (!cell.ok) explain(cell, url);
  }
  // What the upstream got, translated, for a look after the run (the scratch stays when a cell fails).
  fs.writeFileSync(path.join(scratch, 'upstream-requests.json'), JSON.stringify(await getJson(`${upstream}/log`), null, 1));
  const evaluated = cells.some((c) => c.rows?.length) ? await evaluateTraffic(url, since) : true;
  const passed = cells.filter((c) => c.ok).length;
  const failed = cells.length - passed;
  const text = table(cells, sy);
  if (opts.out) fs.writeFileSync(opts.out, text);
  console.log(`\n${text}`);
  let goldenFailed = false;
  if (opts.golden) goldenFailed = !(await writeGolden({ cells, agents, url, scratch, dir: opts.golden, getJson }));
  console.log(`${passed} passed, ${failed} failed${opts.out ? ` (table in ${opts.out})` : ''}`);
  return failed || goldenFailed || !evaluated ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (e) {
  console.error(`agents: ${e.stack ?? e}`);
} finally {
  for (const child of children) child.kill();
  if (status === 0 && !process.env.AGENTS_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
  else console.log(`agents: scratch files (agent output, config, what the upstream got, Switchyard's log and database) kept in ${scratch}`);
}
process.exit(status);
