// SPDX-License-Identifier: GPL-3.0-or-later
// The official SDKs against a running Switchyard whose aliases point at fake-upstream.mjs:
//   claude-model → an Anthropic-kind provider, oai-model → an OpenAI-kind provider.
// Each check asks for the get_weather tool, checks the call, sends the result back and
// checks the final text. Usage: node sdk-check.mjs http://127.0.0.1:PORT
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

const base = process.argv[2];
const anthropic = new Anthropic({ baseURL: base, apiKey: 'unused' });
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused' });
const question = 'What is the weather in Paris?';
const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
let failures = 0;

function expect(what, ok, detail) {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failures++;
}

async function check(name, run) {
  try {
    await run();
  } catch (e) {
    expect(name, false, e?.stack ?? String(e));
  }
}

// (1) Anthropic SDK, streaming, through an alias whose target is OpenAI-kind.
await check('anthropic sdk stream via openai target', async () => {
  const tools = [{ name: 'get_weather', description: 'Current weather in a city', input_schema: schema }];
  const messages = [{ role: 'user', content: question }];
  const stream = anthropic.messages.stream({ model: 'oai-model', max_tokens: 256, tools, messages });
  let text = '';
  stream.on('text', (t) => (text += t));
  const first = await stream.finalMessage();
  const use = first.content.find((b) => b.type === 'tool_use');
  expect('anthropic sdk: streamed tool_use from an openai target',
    first.stop_reason === 'tool_use' && use?.name === 'get_weather' && use?.input?.city === 'Paris',
    `stop_reason=${first.stop_reason} text=${JSON.stringify(text)} tool_use=${JSON.stringify(use)} usage=${JSON.stringify(first.usage)}`);
  messages.push({ role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18°C, rain' }] });
  const second = await anthropic.messages.stream({ model: 'oai-model', max_tokens: 256, tools, messages }).finalMessage();
  expect('anthropic sdk: answer after the tool result', second.content[0]?.text?.includes('18°C'),
    JSON.stringify(second.content));
});

// (2) OpenAI SDK, chat completions, streaming, through an Anthropic-kind target.
await check('openai sdk chat stream via anthropic target', async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Current weather in a city', parameters: schema } }];
  const messages = [{ role: 'user', content: question }];
  const runner = openai.chat.completions.stream({ model: 'claude-model', messages, tools, stream_options: { include_usage: true } });
  const first = await runner.finalChatCompletion();
  const choice = first.choices[0];
  const call = choice.message.tool_calls?.[0];
  expect('openai sdk chat: streamed tool call from an anthropic target',
    choice.finish_reason === 'tool_calls' && call?.function?.name === 'get_weather' && JSON.parse(call.function.arguments).city === 'Paris',
    `finish_reason=${choice.finish_reason} content=${JSON.stringify(choice.message.content)} tool_call=${JSON.stringify(call)} usage=${JSON.stringify(first.usage)}`);
  messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '18°C, rain' });
  const second = await openai.chat.completions.stream({ model: 'claude-model', messages, tools }).finalChatCompletion();
  expect('openai sdk chat: answer after the tool result', second.choices[0].message.content?.includes('18°C'),
    JSON.stringify(second.choices[0].message.content));
});

// (3) OpenAI SDK, Responses API, plain and streaming, through an Anthropic-kind target.
await check('openai sdk responses via anthropic target', async () => {
  const tools = [{ type: 'function', name: 'get_weather', description: 'Current weather in a city', parameters: schema, strict: false }];
  const input = [{ role: 'user', content: question }];
  const plain = await openai.responses.create({ model: 'claude-model', instructions: 'Be brief.', input, tools });
  const plainCall = plain.output.find((i) => i.type === 'function_call');
  expect('openai sdk responses.create: function_call from an anthropic target',
    plain.status === 'completed' && plainCall?.name === 'get_weather' && JSON.parse(plainCall.arguments).city === 'Paris',
    `status=${plain.status} output_text=${JSON.stringify(plain.output_text)} function_call=${JSON.stringify(plainCall)} usage=${JSON.stringify(plain.usage)}`);

  const stream = openai.responses.stream({ model: 'claude-model', instructions: 'Be brief.', input, tools });
  const types = [];
  let text = '';
  stream.on('event', (e) => types.push(e.type));
  stream.on('response.output_text.delta', (e) => (text += e.delta));
  const streamed = await stream.finalResponse();
  const call = streamed.output.find((i) => i.type === 'function_call');
  expect('openai sdk responses.stream: text and function_call from an anthropic target',
    streamed.status === 'completed' && text === 'Let me check.' && call?.name === 'get_weather' && JSON.parse(call.arguments).city === 'Paris',
    `events=${types.join(',')} text=${JSON.stringify(text)} function_call=${JSON.stringify(call)}`);

  const followUp = [...input, ...streamed.output, { type: 'function_call_output', call_id: call.call_id, output: '18°C, rain' }];
  const answer = await openai.responses.stream({ model: 'claude-model', input: followUp, tools }).finalResponse();
  expect('openai sdk responses: answer after function_call_output', answer.output_text?.includes('18°C'),
    JSON.stringify(answer.output_text));
});

console.log(failures ? `${failures} check(s) failed` : 'all SDK checks passed');
process.exit(failures ? 1 : 0);
