// SPDX-License-Identifier: GPL-3.0-or-later
// A tiny upstream for the SDK check: OpenAI chat completions at /v1/chat/completions and
// Anthropic Messages at /v1/messages, plain and streamed, in the real wire formats. It asks
// for the get_weather tool until the conversation holds a tool result, then answers in text.
// Usage: node fake-upstream.mjs PORT   (prints "fake upstream on PORT" when ready)
import http from 'node:http';

const port = Number(process.argv[2] || 0);
const log = [];

function hasToolResult(path, body) {
  if (path.endsWith('/chat/completions')) return body.messages.some((m) => m.role === 'tool');
  return body.messages.some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result'));
}

function sse(res, events) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  for (const [name, data] of events)
    res.write((name ? `event: ${name}\n` : '') + `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  res.end();
}

function chat(res, body, answer) {
  const base = { id: 'chatcmpl-fake1', object: 'chat.completion.chunk', created: 1718000000, model: body.model };
  const usage = { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62, prompt_tokens_details: { cached_tokens: 0 } };
  const call = { id: 'call_fake_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
  if (!body.stream) {
    const message = answer ? { role: 'assistant', content: 'It is 18°C and raining in Paris.' }
                           : { role: 'assistant', content: 'Let me check.', tool_calls: [call] };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ...base, object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: answer ? 'stop' : 'tool_calls' }], usage }));
    return;
  }
  const chunk = (delta, finish = null) => [null, { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }];
  const events = [chunk({ role: 'assistant', content: '' })];
  if (answer) {
    events.push(chunk({ content: 'It is 18°C ' }), chunk({ content: 'and raining in Paris.' }), chunk({}, 'stop'));
  } else {
    events.push(chunk({ content: 'Let me check.' }),
      chunk({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, 'tool_calls'));
  }
  if (body.stream_options?.include_usage) events.push([null, { ...base, choices: [], usage }]);
  events.push([null, '[DONE]']);
  sse(res, events);
}

function messages(res, body, answer) {
  const id = 'msg_fake01';
  const tool = { type: 'tool_use', id: 'toolu_fake_weather_1', name: 'get_weather', input: { city: 'Paris' } };
  if (!body.stream) {
    const content = answer ? [{ type: 'text', text: 'It is 18°C and raining in Paris.' }]
                           : [{ type: 'text', text: 'Let me check.' }, tool];
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model: body.model, content,
      stop_reason: answer ? 'end_turn' : 'tool_use', stop_sequence: null, usage: { input_tokens: 50, output_tokens: 12 } }));
    return;
  }
  const events = [['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: body.model,
      content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 50, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', { type: 'ping' }]];
  const text = (t) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }];
  if (answer) events.push(text('It is 18°C '), text('and raining in Paris.'));
  else events.push(text('Let me check.'));
  events.push(['content_block_stop', { type: 'content_block_stop', index: 0 }]);
  if (!answer) {
    const json = (p) => ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: p } }];
    events.push(['content_block_start', { type: 'content_block_start', index: 1, content_block: { ...tool, input: {} } }],
      json('{"city":'), json(' "Paris"}'), ['content_block_stop', { type: 'content_block_stop', index: 1 }]);
  }
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: answer ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: { output_tokens: 12 } }], ['message_stop', { type: 'message_stop' }]);
  sse(res, events);
}

const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/log') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(log));
      return;
    }
    const body = JSON.parse(raw || '{}');
    log.push({ path: req.url, body });
    if (req.url.endsWith('/chat/completions')) return chat(res, body, hasToolResult(req.url, body));
    if (req.url.endsWith('/messages')) return messages(res, body, hasToolResult(req.url, body));
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no ${req.url} here`, type: 'invalid_request_error' } }));
  });
});
server.listen(port, '127.0.0.1', () => console.log(`fake upstream on ${server.address().port}`));
