// SPDX-License-Identifier: GPL-3.0-or-later
// The scripted upstream behind the coding-agent check: OpenAI chat completions, OpenAI Responses
// and Anthropic Messages, plain JSON and streamed, in the providers' wire formats. It is as strict
// as the real APIs where a translation could go wrong: unknown top-level fields, message roles,
// tool types and tool ids that do not pair up are refused with the provider's own 400 error shape.
//
// Script (deterministic): a conversation whose user text holds `SWITCHYARD-WRITE <path> <word>`
// and no tool result yet gets a call to the write-capable tool the request offers (Write,
// apply_patch, exec_command, shell or Bash) that writes <word> into <path>; once a tool result is
// present the answer is `SWITCHYARD-DONE`; anything else is answered `SWITCHYARD-OK`.
//
// Usage: node agent-upstream.mjs [PORT]   (prints "agent upstream on PORT" when ready)
// GET /log answers every request received so far ({method, path, headers, body, status, error}).
import http from 'node:http';
import path from 'node:path';

const port = Number(process.argv[2] || 0);
const log = [];

// Documented top-level request fields of each API (OpenAI API reference, Anthropic API
// reference and the official SDKs' create-params types, as of the pinned agent versions).
const CHAT_FIELDS = new Set(['audio', 'frequency_penalty', 'function_call', 'functions', 'logit_bias', 'logprobs',
  'max_completion_tokens', 'max_tokens', 'messages', 'metadata', 'modalities', 'model', 'n', 'parallel_tool_calls',
  'prediction', 'presence_penalty', 'prompt_cache_key', 'prompt_cache_retention', 'reasoning_effort',
  'response_format', 'safety_identifier', 'seed', 'service_tier', 'stop', 'store', 'stream', 'stream_options',
  'temperature', 'tool_choice', 'tools', 'top_logprobs', 'top_p', 'user', 'verbosity', 'web_search_options']);
// client_metadata is not in the reference, but api.openai.com accepts it: Codex sends it there.
const RESPONSES_FIELDS = new Set(['background', 'client_metadata', 'context_management', 'conversation', 'include',
  'input', 'instructions', 'max_output_tokens', 'max_tool_calls', 'metadata', 'model', 'parallel_tool_calls',
  'previous_response_id', 'prompt', 'prompt_cache_key', 'prompt_cache_retention', 'reasoning', 'safety_identifier',
  'service_tier', 'store', 'stream', 'stream_options', 'temperature', 'text', 'tool_choice', 'tools',
  'top_logprobs', 'top_p', 'truncation', 'user']);
const MESSAGES_FIELDS = new Set(['cache_control', 'container', 'context_management', 'inference_geo', 'max_tokens',
  'mcp_servers', 'messages', 'metadata', 'model', 'output_config', 'output_format', 'service_tier', 'speed',
  'stop_sequences', 'stream', 'system', 'temperature', 'thinking', 'tool_choice', 'tools', 'top_k', 'top_p']);
const COUNT_TOKENS_FIELDS = new Set(['cache_control', 'context_management', 'mcp_servers', 'messages', 'model',
  'output_config', 'output_format', 'system', 'thinking', 'tool_choice', 'tools']);
const CHAT_MESSAGE_KEYS = {
  system: ['role', 'content', 'name'], developer: ['role', 'content', 'name'], user: ['role', 'content', 'name'],
  assistant: ['role', 'content', 'name', 'tool_calls', 'refusal', 'audio', 'function_call'],
  tool: ['role', 'content', 'tool_call_id'], function: ['role', 'content', 'name'] };
const CHAT_PARTS = new Set(['text', 'image_url', 'input_audio', 'refusal', 'audio', 'file']);
const ANTHROPIC_BLOCKS = new Set(['text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking',
  'tool_use', 'tool_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result',
  'code_execution_tool_result', 'mcp_tool_use', 'mcp_tool_result', 'container_upload', 'tool_reference']);
const RESPONSES_ROLES = new Set(['user', 'assistant', 'system', 'developer']);

// A refusal in the provider's own shape: thrown by the checks, answered by the server.
class ApiError extends Error {
  constructor(body) { super(JSON.stringify(body)); this.body = body; }
}
const openAiError = (message, param = null, code = null) =>
  new ApiError({ error: { message, type: 'invalid_request_error', param, code } });
const anthropicError = (message) => new ApiError({ type: 'error', error: { type: 'invalid_request_error', message } });

function checkChat(body) {
  for (const key of Object.keys(body))
    if (!CHAT_FIELDS.has(key)) throw openAiError(`Unrecognized request argument supplied: ${key}`);
  if (typeof body.model !== 'string') throw openAiError("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  if (!Array.isArray(body.messages)) throw openAiError("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  (body.tools || []).forEach((tool, i) => {
    if (tool.type !== 'function' && tool.type !== 'custom')
      throw openAiError(`Invalid value: '${tool.type}'. Supported values are: 'function' and 'custom'.`, `tools[${i}].type`, 'invalid_value');
  });
  let open = null; // the tool_call ids of the last assistant message still waiting for results
  body.messages.forEach((m, i) => {
    const allowed = CHAT_MESSAGE_KEYS[m.role];
    if (!allowed)
      throw openAiError(`Invalid value: '${m.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`, 'invalid_value');
    const extra = Object.keys(m).find((k) => !allowed.includes(k));
    if (extra) throw openAiError(`Additional properties are not allowed ('${extra}' was unexpected) - 'messages.${i}'`);
    (Array.isArray(m.content) ? m.content : []).forEach((part, j) => {
      if (!CHAT_PARTS.has(part.type))
        throw openAiError(`Invalid value: '${part.type}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'.`,
          `messages[${i}].content[${j}].type`, 'invalid_value');
    });
    if (m.role === 'tool') {
      if (!open) throw openAiError("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${i}].role`);
      if (!open.delete(m.tool_call_id)) throw openAiError(`Invalid parameter: 'tool_call_id' of '${m.tool_call_id}' not found in 'tool_calls' of previous message.`, `messages.[${i}].tool_call_id`);
      return;
    }
    if (open?.size)
      throw openAiError(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`,
        `messages.[${i}].role`);
    open = m.role === 'assistant' && m.tool_calls?.length ? new Set(m.tool_calls.map((c) => c.id)) : null;
  });
}

function checkResponses(body) {
  for (const key of Object.keys(body))
    if (!RESPONSES_FIELDS.has(key)) throw openAiError(`Unknown parameter: '${key}'.`, key, 'unknown_parameter');
  if (typeof body.model !== 'string') throw openAiError("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  const input = typeof body.input === 'string' ? [] : body.input || [];
  const calls = new Set();
  input.forEach((item, i) => {
    const type = item.type ?? 'message';
    if (type === 'message' && !RESPONSES_ROLES.has(item.role))
      throw openAiError(`Invalid value: '${item.role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`, `input[${i}].role`, 'invalid_value');
    if (type === 'function_call' || type === 'custom_tool_call') calls.add(item.call_id);
    if ((type === 'function_call_output' || type === 'custom_tool_call_output') && !calls.has(item.call_id))
      throw openAiError(`No tool call found for function call output with call_id ${item.call_id}.`, 'input');
  });
  for (const id of calls)
    if (!input.some((item) => item.call_id === id && item.type?.endsWith('_output')))
      throw openAiError(`No tool output found for function call ${id}.`, 'input');
}

function checkMessages(body, countTokens) {
  const fields = countTokens ? COUNT_TOKENS_FIELDS : MESSAGES_FIELDS;
  for (const key of Object.keys(body))
    if (!fields.has(key)) throw anthropicError(`${key}: Extra inputs are not permitted`);
  if (typeof body.model !== 'string') throw anthropicError('model: Field required');
  if (!Array.isArray(body.messages)) throw anthropicError('messages: Field required');
  if (!countTokens && typeof body.max_tokens !== 'number') throw anthropicError('max_tokens: Field required');
  (body.tools || []).forEach((tool, i) => {
    // Custom tools carry no type (or "custom"); server tools are versioned ("web_search_20250305").
    if (tool.type !== undefined && tool.type !== 'custom' && tool.type !== 'mcp_toolset' && !/_\d{8}$/.test(tool.type))
      throw anthropicError(`tools.${i}: Input tag '${tool.type}' found using 'type' does not match any of the expected tags`);
    if ((tool.type ?? 'custom') === 'custom')
      for (const key of ['name', 'input_schema'])
        if (tool[key] === undefined) throw anthropicError(`tools.${i}.custom.${key}: Field required`);
  });
  let open = null; // tool_use ids of the previous assistant message
  body.messages.forEach((m, i) => {
    // "system" inside messages is accepted by the real API (Claude Code sends one mid-conversation).
    if (!['user', 'assistant', 'system'].includes(m.role))
      throw anthropicError(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    const blocks = typeof m.content === 'string' ? [] : m.content;
    if (!Array.isArray(blocks)) throw anthropicError(`messages.${i}.content: Input should be a valid list`);
    if (m.role === 'system') return; // carries no tool blocks and does not break a tool_use/tool_result pair
    blocks.forEach((b, j) => {
      if (!ANTHROPIC_BLOCKS.has(b.type))
        throw anthropicError(`messages.${i}.content.${j}: Input tag '${b.type}' found using 'type' does not match any of the expected tags`);
    });
    const results = blocks.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id);
    const stray = results.find((id) => !open?.has(id));
    if (stray)
      throw anthropicError(`messages.${i}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${stray}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
    const missing = [...(open || [])].filter((id) => !results.includes(id));
    if (missing.length)
      throw anthropicError(`messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
    const uses = m.role === 'assistant' ? blocks.filter((b) => b.type === 'tool_use').map((b) => b.id) : [];
    open = uses.length ? new Set(uses) : null;
  });
}

// --- The script: what the conversation asks for, independent of the dialect ----------------------

const textOf = (content) => typeof content === 'string' ? content
  : Array.isArray(content) ? content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n') : '';

// The user text, the system text and whether a tool result is present, for each dialect.
function conversation(dialect, body) {
  if (dialect === 'chat') {
    const user = body.messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
    const system = body.messages.filter((m) => m.role !== 'user').map((m) => textOf(m.content)).join('\n');
    return { user, system, answered: body.messages.some((m) => m.role === 'tool') };
  }
  if (dialect === 'responses') {
    const items = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input || [];
    const user = items.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
    const system = [body.instructions || '', ...items.filter((m) => m.role && m.role !== 'user').map((m) => textOf(m.content))].join('\n');
    return { user, system, answered: items.some((m) => m.type?.endsWith('_call_output')) };
  }
  const user = body.messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
  const system = [textOf(body.system), ...body.messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)),
    user].join('\n');
  return { user, system,
    answered: body.messages.some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result')) };
}

// The tools offered, as {name, properties} whatever the dialect wraps them in.
function offeredTools(body) {
  return (body.tools || []).map((t) => ({
    name: t.function?.name ?? t.name,
    type: t.type ?? 'custom',
    properties: (t.function?.parameters ?? t.parameters ?? t.input_schema)?.properties || {},
  })).filter((t) => t.name);
}

const shellQuote = (s) => `'${s.replaceAll("'", "'\\''")}'`;

// The one tool call that writes `word` into `file`, using the best tool on offer.
function writeCall(tools, file, word, cwd) {
  const absolute = path.isAbsolute(file) ? file : cwd ? path.join(cwd, file) : null;
  const has = (name, prop) => tools.find((t) => t.name === name && t.properties[prop]);
  const shellLine = `printf '%s\\n' ${shellQuote(word)} > ${shellQuote(file)}`;
  if (has('Write', 'file_path') && absolute) return { name: 'Write', input: { file_path: absolute, content: `${word}\n` } };
  if (has('apply_patch', 'input'))
    return { name: 'apply_patch', input: { input: `*** Begin Patch\n*** Add File: ${file}\n+${word}\n*** End Patch\n` } };
  if (has('exec_command', 'cmd')) return { name: 'exec_command', input: { cmd: shellLine } };
  if (has('shell', 'command')) return { name: 'shell', input: { command: ['bash', '-lc', shellLine] } };
  if (has('Bash', 'command')) return { name: 'Bash', input: { command: shellLine } };
  return null;
}

// What to answer: {text} or {text, call: {name, input}}.
function script(dialect, body) {
  const { user, system, answered } = conversation(dialect, body);
  if (answered) return { text: 'SWITCHYARD-DONE' };
  const marker = /SWITCHYARD-WRITE\s+(\S+)\s+(\S+)/.exec(user);
  if (!marker) return { text: 'SWITCHYARD-OK' };
  const cwd = /Primary working directory:\s*(\S+)/.exec(system)?.[1] ?? /<cwd>([^<]+)<\/cwd>/.exec(`${system}\n${user}`)?.[1];
  const call = writeCall(offeredTools(body), marker[1], marker[2], cwd);
  return call ? { text: 'Writing the file.', call } : { text: 'SWITCHYARD-OK' };
}

// --- The three wire formats ----------------------------------------------------------------------

const USAGE = { input: 120, output: 20, cached: 0 };
let counter = 0;
const nextId = (prefix) => `${prefix}${String(++counter).padStart(6, '0')}switchyardfake`;

function sse(res, events) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  for (const [name, data] of events)
    res.write((name ? `event: ${name}\n` : '') + `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  res.end();
}

function json(res, status, value, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function chat(res, body, answer) {
  const id = nextId('chatcmpl-');
  const base = { id, created: Math.floor(Date.now() / 1000), model: body.model, service_tier: 'default', system_fingerprint: null };
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output,
    prompt_tokens_details: { cached_tokens: USAGE.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } };
  const call = answer.call && { id: nextId('call_'), type: 'function',
    function: { name: answer.call.name, arguments: JSON.stringify(answer.call.input) } };
  const finish = call ? 'tool_calls' : 'stop';
  if (!body.stream) {
    const message = { role: 'assistant', content: answer.text, refusal: null, annotations: [], ...(call ? { tool_calls: [call] } : {}) };
    return json(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage });
  }
  const withUsage = body.stream_options?.include_usage;
  const chunk = (delta, finishReason = null) => [null, { ...base, object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(withUsage ? { usage: null } : {}) }];
  const events = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of answer.text.match(/.{1,8}/gs)) events.push(chunk({ content: piece }));
  if (call) {
    const args = call.function.arguments;
    events.push(chunk({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (let i = 0; i < args.length; i += 24) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 24) } }] }));
  }
  events.push(chunk({}, finish));
  if (withUsage) events.push([null, { ...base, object: 'chat.completion.chunk', choices: [], usage }]);
  events.push([null, '[DONE]']);
  sse(res, events);
}

function messages(res, body, answer) {
  const id = nextId('msg_');
  const usage = { input_tokens: USAGE.input, cache_creation_input_tokens: 0, cache_read_input_tokens: USAGE.cached,
    output_tokens: USAGE.output, service_tier: 'standard' };
  const use = answer.call && { type: 'tool_use', id: nextId('toolu_'), name: answer.call.name, input: answer.call.input };
  const stop = use ? 'tool_use' : 'end_turn';
  const content = [{ type: 'text', text: answer.text }, ...(use ? [use] : [])];
  if (!body.stream)
    return json(res, 200, { id, type: 'message', role: 'assistant', model: body.model, content, stop_reason: stop, stop_sequence: null, usage });
  const events = [['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: body.model,
      content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', { type: 'ping' }]];
  for (const piece of answer.text.match(/.{1,8}/gs))
    events.push(['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }]);
  events.push(['content_block_stop', { type: 'content_block_stop', index: 0 }]);
  if (use) {
    const args = JSON.stringify(use.input);
    events.push(['content_block_start', { type: 'content_block_start', index: 1, content_block: { ...use, input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } }]);
    for (let i = 0; i < args.length; i += 24)
      events.push(['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: args.slice(i, i + 24) } }]);
    events.push(['content_block_stop', { type: 'content_block_stop', index: 1 }]);
  }
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null },
    usage: { input_tokens: USAGE.input, cache_creation_input_tokens: 0, cache_read_input_tokens: USAGE.cached, output_tokens: USAGE.output } }],
  ['message_stop', { type: 'message_stop' }]);
  sse(res, events);
}

function responses(res, body, answer) {
  const id = nextId('resp_');
  const created = Math.floor(Date.now() / 1000);
  const text = { id: nextId('msg_'), type: 'message', status: 'completed', role: 'assistant',
    content: [{ type: 'output_text', annotations: [], logprobs: [], text: answer.text }] };
  const call = answer.call && { id: nextId('fc_'), type: 'function_call', status: 'completed',
    arguments: JSON.stringify(answer.call.input), call_id: nextId('call_'), name: answer.call.name };
  const output = [text, ...(call ? [call] : [])];
  const usage = { input_tokens: USAGE.input, input_tokens_details: { cached_tokens: USAGE.cached },
    output_tokens: USAGE.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: USAGE.input + USAGE.output };
  const response = (status, out, use) => ({ id, object: 'response', created_at: created, status, background: false,
    completed_at: status === 'completed' ? created : null, error: null, incomplete_details: null,
    instructions: body.instructions ?? null, max_output_tokens: body.max_output_tokens ?? null, max_tool_calls: null,
    model: body.model, output: out, parallel_tool_calls: body.parallel_tool_calls ?? true, previous_response_id: null,
    prompt_cache_key: body.prompt_cache_key ?? null, reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    safety_identifier: null, service_tier: 'default', store: body.store ?? true, temperature: 1.0,
    text: { format: { type: 'text' }, verbosity: 'medium' }, tool_choice: body.tool_choice ?? 'auto', tools: body.tools ?? [],
    top_logprobs: 0, top_p: 1.0, truncation: 'disabled', usage: use, user: null, metadata: body.metadata ?? {} });
  if (!body.stream) return json(res, 200, response('completed', output, usage));
  let sequence = 0;
  const events = [];
  const emit = (type, fields) => events.push([type, { type, sequence_number: sequence++, ...fields }]);
  emit('response.created', { response: response('in_progress', [], null) });
  emit('response.in_progress', { response: response('in_progress', [], null) });
  const part = text.content[0];
  emit('response.output_item.added', { output_index: 0, item: { ...text, status: 'in_progress', content: [] } });
  emit('response.content_part.added', { item_id: text.id, output_index: 0, content_index: 0, part: { ...part, text: '' } });
  for (const piece of answer.text.match(/.{1,8}/gs))
    emit('response.output_text.delta', { item_id: text.id, output_index: 0, content_index: 0, delta: piece, logprobs: [] });
  emit('response.output_text.done', { item_id: text.id, output_index: 0, content_index: 0, text: answer.text, logprobs: [] });
  emit('response.content_part.done', { item_id: text.id, output_index: 0, content_index: 0, part });
  emit('response.output_item.done', { output_index: 0, item: text });
  if (call) {
    emit('response.output_item.added', { output_index: 1, item: { ...call, status: 'in_progress', arguments: '' } });
    for (let i = 0; i < call.arguments.length; i += 24)
      emit('response.function_call_arguments.delta', { item_id: call.id, output_index: 1, delta: call.arguments.slice(i, i + 24) });
    emit('response.function_call_arguments.done', { item_id: call.id, output_index: 1, name: call.name, arguments: call.arguments });
    emit('response.output_item.done', { output_index: 1, item: call });
  }
  emit('response.completed', { response: response('completed', output, usage) });
  sse(res, events);
}

// --- The server ----------------------------------------------------------------------------------

const routes = [
  [/^\/v1\/chat\/completions$/, 'chat', checkChat, chat],
  [/^\/v1\/responses$/, 'responses', checkResponses, responses],
  [/^\/v1\/messages\/count_tokens$/, 'count_tokens', (b) => checkMessages(b, true), null],
  [/^\/v1\/messages$/, 'messages', (b) => checkMessages(b, false), messages],
];

function handle(req, res, raw) {
  const pathname = new URL(req.url, 'http://x').pathname;
  if (req.method === 'GET' && pathname === '/log') return json(res, 200, log);
  if (req.method === 'DELETE' && pathname === '/log') { log.length = 0; return json(res, 200, {}); }
  const entry = { method: req.method, path: req.url, headers: req.headers, body: null, status: 200, error: null };
  log.push(entry);
  const route = req.method === 'POST' && routes.find(([re]) => re.test(pathname));
  if (!route) {
    entry.status = req.method === 'HEAD' || req.method === 'GET' ? (pathname === '/' ? 200 : 404) : 404;
    if (req.method === 'HEAD') { res.writeHead(entry.status); return res.end(); }
    return json(res, entry.status, { error: { message: `Invalid URL (${req.method} ${pathname})`, type: 'invalid_request_error', param: null, code: null } });
  }
  const [, dialect, check, answer] = route;
  const anthropic = dialect === 'messages' || dialect === 'count_tokens';
  try {
    try {
      entry.body = JSON.parse(raw);
    } catch {
      throw anthropic ? anthropicError('There was an error parsing the body of your request.')
        : openAiError('We could not parse the JSON body of your request.');
    }
    if (typeof entry.body !== 'object' || entry.body === null || Array.isArray(entry.body))
      throw anthropic ? anthropicError('Input should be a valid dictionary') : openAiError('Invalid type for body: expected an object.');
    check(entry.body);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    entry.status = 400;
    entry.error = e.body;
    return json(res, 400, e.body, anthropic ? { 'request-id': nextId('req_') } : { 'x-request-id': nextId('req_') });
  }
  if (dialect === 'count_tokens') return json(res, 200, { input_tokens: USAGE.input });
  answer(res, entry.body, script(dialect, entry.body));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => {
    try {
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      console.error(e);
      if (!res.headersSent) json(res, 500, { error: { message: String(e), type: 'server_error', param: null, code: null } });
      else res.end();
    }
  });
});
server.listen(port, '127.0.0.1', () => console.log(`agent upstream on ${server.address().port}`));
