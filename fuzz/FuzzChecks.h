// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArrayView>
#include <QList>

// What each fuzz target runs on one input. A check returns when the code under test kept its
// promises for that input and aborts (after printing which promise broke) when it did not;
// sanitizers report memory and undefined-behaviour errors on their own.
namespace Switchyard::FuzzChecks {

// HttpRequestParser with small limits, fed the bytes whole, one at a time and in random
// chunks: the same requests (and the same error status) must come out every way.
void httpRequestParser(QByteArrayView input);
// SseParser fed whole, bytewise and in chunks: the same events; raw bytes add up to the input.
void sseParser(QByteArrayView input);
// A JSON request through ChatToMessages and MessagesToChat: no crash, and what comes out is
// a well-formed request of the other dialect (alternating Anthropic turns, no empty text).
void dialectRequest(QByteArrayView input);
// A response or error body through ResponseTranslator, each way.
void dialectResponse(QByteArrayView input);
// An event stream through SseParser and both stream translators: every event written is one
// well-formed SSE event with JSON data, and the Anthropic event order is one a client accepts.
void dialectStream(QByteArrayView input);
// The OpenAI Responses translators: a request (a JSON object) becomes chat and Anthropic
// requests that keep their dialects' rules, or a message; anything else is read as an event
// stream (Anthropic or chat) and becomes Responses events numbered from 0, nothing after the end.
void responsesDialect(QByteArrayView input);
// ConfigParser: a config either parses or gives messages; one that parses survives
// ConfigWriter and parses again to the same Config.
void configParser(QByteArrayView input);
// OpenAiBody on valid JSON: forUpstream() gives valid JSON with the upstream model in it and
// usage requested for streams; JsonSpan finds values that parse.
void openAiBody(QByteArrayView input);

struct Target
{
    const char *name; // the fuzz executable, and the directory of its corpus and regressions
    void (*check)(QByteArrayView input);
};
// Every check with its fuzz target's name, for the regression test.
QList<Target> targets();

} // namespace Switchyard::FuzzChecks
