// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/record/TranslationNote.h"
#include "core/routing/ErrorClass.h"
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <optional>

namespace Switchyard {

// Token counts as the upstream reported them.
struct Usage
{
    std::optional<qint64> promptTokens;
    std::optional<qint64> completionTokens;
    std::optional<qint64> cachedPromptTokens;   // cache reads, part of promptTokens
    // Initialised so that Usage{prompt, completion, cached} stays warning-free.
    std::optional<qint64> cacheWriteTokens = std::nullopt;   // cache writes (Anthropic's 5-minute ones), part of promptTokens
    std::optional<qint64> cacheWrite1hTokens = std::nullopt; // Anthropic's 1-hour cache writes, part of promptTokens
    std::optional<qint64> reasoningTokens = std::nullopt;    // part of completionTokens
    bool isEmpty() const { return !promptTokens && !completionTokens; }
};

// One try of one target within a call.
struct Attempt
{
    QString provider;
    QString model;
    int status = 0;                 // upstream HTTP status, 0 when none arrived
    ErrorClass errorClass = ErrorClass::None;
    QString message;                // what went wrong, for a person
    qint64 startedAfterMs = 0;      // from the start of the call
    qint64 durationMs = 0;
    QByteArray requestBody;         // the body actually sent upstream
    TranslationNotes translationNotes = {}; // what a dialect translation mapped or dropped (an initialiser keeps brace-initialised Attempts warning-free)
};

// Everything about one finished inbound request: the unit the log, the UI and replay use.
// Headers are already masked; bodies may be cut at the engine's cap.
struct CallRecord
{
    QString id;
    QDateTime startedAt;            // UTC
    qint64 durationMs = 0;
    std::optional<qint64> ttftMs;
    QString endpoint;               // "/v1/chat/completions"
    QString requestedModel;         // what the client asked for
    QString alias;                  // empty when the client named provider/model directly
    QString provider;               // the target that answered (or was tried last)
    QString model;
    int status = 0;                 // HTTP status sent to the client
    bool ok = false;
    ErrorClass errorClass = ErrorClass::None;
    QString errorMessage;
    Usage usage;
    std::optional<double> costUsd;  // nullopt: the model has no known price
    bool stream = false;
    QString client;                 // user-agent
    QString clientProcess;          // the local program behind the connection, when known
    qint64 clientPid = 0;
    QString project;                // that program's working directory
    quint64 connectionId = 0;       // inbound connection (not stored)
    QString replayOf;
    QString evaluationId;           // set on a call made by an evaluation: kept out of the live stats
    QList<Attempt> attempts;
    QByteArray requestBody;
    QByteArray responseBody;
    bool requestBodyTruncated = false;
    bool responseBodyTruncated = false;
    bool bodiesShed = false;        // the log writer was behind: the row was kept, its bodies not stored
    HttpHeaders requestHeaders;
    HttpHeaders responseHeaders;
    // Set by the log writer (SessionGrouper), off the request path; empty on the engine's copy.
    QString sessionId;              // the agent session the call belongs to
    bool subagent = false;          // a side line of that session (subagent, title, background)
    QString cacheVerdict;           // CacheDoctor::verdictName of the call as a turn
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::CallRecord)
