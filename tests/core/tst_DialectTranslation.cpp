// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/ChatToMessagesStream.h"
#include "core/dialect/ChatToResponses.h"
#include "core/dialect/ChatToResponsesStream.h"
#include "core/dialect/DialectMapping.h"
#include "core/dialect/MessagesToChat.h"
#include "core/dialect/MessagesToChatStream.h"
#include "core/dialect/MessagesToResponsesStream.h"
#include "core/dialect/ResponseTranslator.h"
#include "core/dialect/ResponsesToChat.h"
#include "core/dialect/ResponsesToMessages.h"
#include "core/stream/SseParser.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <functional>

using namespace Switchyard;
using namespace Qt::Literals::StringLiterals;

// Golden files (tests/data/dialect/) hold real-format requests, responses, error bodies and
// SSE transcripts in each dialect, and what each must translate to; cases.json pairs them up
// and outputs are compared field by field. untranslatable.json lists requests (and upstream
// responses) that must fail, with their messages.
class TestDialectTranslation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void request_data();
    void request();
    void untranslatable_data();
    void untranslatable();
    void roundTripOpenAi_data();
    void roundTripOpenAi();
    void response_data();
    void response();
    void errorBody_data();
    void errorBody();
    void stopReasons_data();
    void stopReasons();
    void stream_data();
    void stream();
    void streamSplitAnyway_data();
    void streamSplitAnyway();
    // OpenAI Responses ⇄ chat (and on to Anthropic Messages).
    void responsesRequest_data();
    void responsesRequest();
    void responsesRoundTrip_data();
    void responsesRoundTrip();
    void responsesResponse_data();
    void responsesResponse();
    void responsesStream_data();
    void responsesStream();
    void responsesStreamSplitAnyway_data();
    void responsesStreamSplitAnyway();
};

namespace {

constexpr qint64 Created = 1718000000;
const QString AnthropicModel = u"claude-3-5-haiku-latest"_s;
const QString OpenAiModel = u"gpt-4o-mini"_s;

QByteArray readData(const QString &name)
{
    QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/dialect/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject readJson(const QString &name)
{
    return QJsonDocument::fromJson(readData(name)).object();
}

QString show(const QJsonValue &v)
{
    if (v.isUndefined())
        return u"(missing)"_s;
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// Every path where `actual` differs from `expected`, with both values. Tool-call
// `arguments` are JSON in a string: compared as JSON when both sides parse.
void diffJson(const QJsonValue &actual, const QJsonValue &expected, const QString &path, QStringList &out)
{
    if (actual.isString() && expected.isString() && path.endsWith(".arguments"_L1)) {
        const QJsonDocument a = QJsonDocument::fromJson(actual.toString().toUtf8());
        const QJsonDocument e = QJsonDocument::fromJson(expected.toString().toUtf8());
        if (a.isObject() && e.isObject())
            return diffJson(a.object(), e.object(), path, out);
    }
    if (actual.type() != expected.type() || (!actual.isObject() && !actual.isArray() && actual != expected)) {
        out.append(path + u": "_s + show(actual) + u" != expected "_s + show(expected));
    } else if (actual.isObject()) {
        const QJsonObject a = actual.toObject(), e = expected.toObject();
        QStringList keys = a.keys() + e.keys();
        keys.removeDuplicates();
        for (const QString &key : std::as_const(keys))
            diffJson(a.value(key), e.value(key), path + u'.' + key, out);
    } else if (actual.isArray()) {
        const QJsonArray a = actual.toArray(), e = expected.toArray();
        for (qsizetype i = 0; i < qMax(a.size(), e.size()); ++i)
            diffJson(i < a.size() ? a.at(i) : QJsonValue(QJsonValue::Undefined),
                     i < e.size() ? e.at(i) : QJsonValue(QJsonValue::Undefined), path + u"[%1]"_s.arg(i), out);
    }
}

QStringList diff(const QJsonObject &actual, const QJsonObject &expected, const QString &root = u"$"_s)
{
    QStringList out;
    diffJson(actual, expected, root, out);
    return out;
}

QJsonArray textAndImageParts(const QJsonValue &content)
{
    QJsonArray parts;
    if (content.isString() && !content.toString().isEmpty())
        parts.append(QJsonObject{{u"text"_s, content}});
    for (const QJsonValue &value : content.toArray()) {
        const QJsonObject part = value.toObject();
        if (part.contains("image_url"_L1))
            parts.append(QJsonObject{{u"image"_s, part.value("image_url"_L1).toObject().value("url"_L1)}});
        else if (!part.value("text"_L1).toString().isEmpty())
            parts.append(QJsonObject{{u"text"_s, part.value("text"_L1)}});
    }
    return parts;
}

// The meaning of an OpenAI chat request in one form: system prompts joined, consecutive
// user messages merged, content as parts, arguments parsed, empty turns gone, and the fields
// the translation drops by design (seed, n, store, metadata, stream_options, …) left out.
QJsonObject chatMeaning(const QJsonObject &chat)
{
    QStringList system;
    QJsonArray messages;
    for (const QJsonValue &value : chat.value("messages"_L1).toArray()) {
        const QJsonObject m = value.toObject();
        const QString role = m.value("role"_L1).toString();
        const QJsonArray parts = textAndImageParts(m.value("content"_L1));
        if (role == "system"_L1 || role == "developer"_L1) {
            for (const QJsonValue &part : parts)
                system.append(part.toObject().value("text"_L1).toString());
            continue;
        }
        QJsonObject meaning{{u"role"_s, role}, {u"parts"_s, parts}, {u"tool_call_id"_s, m.value("tool_call_id"_L1)}};
        QJsonArray calls;
        for (const QJsonValue &call : m.value("tool_calls"_L1).toArray()) {
            const QJsonObject function = call.toObject().value("function"_L1).toObject();
            calls.append(QJsonObject{
                {u"id"_s, call.toObject().value("id"_L1)},
                {u"name"_s, function.value("name"_L1)},
                {u"input"_s, QJsonDocument::fromJson(function.value("arguments"_L1).toString().toUtf8()).object()}});
        }
        meaning.insert("tool_calls"_L1, calls);
        const QJsonObject last = messages.isEmpty() ? QJsonObject() : messages.last().toObject();
        if (parts.isEmpty() && calls.isEmpty() && role == "assistant"_L1)
            continue;
        if (role == "user"_L1 && last.value("role"_L1) == "user"_L1) {
            QJsonArray merged = last.value("parts"_L1).toArray();
            for (const QJsonValue &part : parts)
                merged.append(part);
            meaning.insert("parts"_L1, merged);
            messages.removeLast();
        }
        messages.append(meaning);
    }
    QJsonArray tools;
    for (const QJsonValue &tool : chat.value("tools"_L1).toArray()) {
        QJsonObject function = tool.toObject().value("function"_L1).toObject();
        function.remove("strict"_L1);
        if (!function.contains("parameters"_L1))
            function.insert("parameters"_L1, QJsonObject{{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject()}});
        tools.append(function);
    }
    const QJsonValue stop = chat.value("stop"_L1);
    const QJsonValue maxTokens = chat.contains("max_completion_tokens"_L1) ? chat.value("max_completion_tokens"_L1)
                                                                           : chat.value("max_tokens"_L1);
    return QJsonObject{{u"system"_s, system.join(u'\n')},
                       {u"messages"_s, messages},
                       {u"tools"_s, tools},
                       {u"tool_choice"_s, chat.value("tool_choice"_L1)},
                       {u"parallel_tool_calls"_s, chat.value("parallel_tool_calls"_L1).toBool(true)},
                       {u"max_tokens"_s, maxTokens.toInteger(ChatToMessages::DefaultMaxTokens)},
                       {u"temperature"_s, chat.value("temperature"_L1)},
                       {u"top_p"_s, chat.value("top_p"_L1)},
                       {u"stop"_s, stop.isString() ? QJsonArray{stop} : stop},
                       {u"stream"_s, chat.value("stream"_L1).toBool()},
                       {u"user"_s, chat.value("user"_L1)}};
}

// Fails listing every path where the two JSON objects differ.
#define COMPARE_JSON(actual, expected)                                                                                 \
    do {                                                                                                               \
        const QStringList differences = diff(actual, expected);                                                        \
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));                                          \
    } while (false)

QList<qint64> usageList(const Usage &u)
{
    return {u.promptTokens.value_or(-1), u.completionTokens.value_or(-1), u.cachedPromptTokens.value_or(-1)};
}

struct StreamRun
{
    QByteArrayList events;
    Usage usage;
    QString error;
    bool finished = false;
    QByteArrayList afterEnd; // what one more event gave after the stream ended
};

// Feeds `transcript` through an SseParser `step` bytes at a time, each event as it comes
// out to a fresh translator, then tells it the upstream closed.
template <typename Translator>
StreamRun runStream(Translator translator, const QByteArray &transcript, qsizetype step)
{
    SseParser parser;
    StreamRun run;
    for (qsizetype at = 0; at < transcript.size(); at += step) {
        for (const SseEvent &event : parser.feed(transcript.mid(at, step)))
            run.events += translator.feed(event);
    }
    run.events += translator.finish();
    run.usage = translator.usage();
    run.error = translator.error();
    run.finished = translator.finished();
    run.afterEnd = translator.feed(SseEvent{"message_stop", R"({"type":"message_stop"})", {}});
    return run;
}

// A case's direction: "to": "anthropic" or "openai".
bool toAnthropic(const QJsonObject &c)
{
    return c.value("to"_L1) == "anthropic"_L1;
}

// One row per entry of a cases.json section, named by its "name", in column "c".
void addCases(const char *section)
{
    QTest::addColumn<QJsonObject>("c");
    const QJsonArray cases = readJson(u"cases.json"_s).value(QLatin1String(section)).toArray();
    QVERIFY(!cases.isEmpty());
    for (const QJsonValue &value : cases)
        QTest::newRow(qPrintable(value.toObject().value("name"_L1).toString())) << value.toObject();
}

StreamRun translateStream(const QJsonObject &c, const QByteArray &transcript, qsizetype step)
{
    if (toAnthropic(c))
        return runStream(ChatToMessagesStream(), transcript, step);
    return runStream(MessagesToChatStream(c.value("include_usage"_L1).toBool(), Created), transcript, step);
}

Result<QJsonObject> responsesToChat(const QJsonObject &request)
{
    const auto chat = ResponsesToChat::translate(request, OpenAiModel);
    if (!chat)
        return chat.error();
    return chat.value().chat;
}

// A Responses stream case: chat chunks ("from": "openai") or Anthropic events in.
StreamRun translateResponsesStream(const QJsonObject &c, const QByteArray &transcript, qsizetype step)
{
    const QJsonObject request = readJson(u"responses_request_stream.json"_s);
    if (c.value("from"_L1) == "anthropic"_L1)
        return runStream(MessagesToResponsesStream(request, Created), transcript, step);
    return runStream(ChatToResponsesStream(request, Created), transcript, step);
}

// Each output element must be one whole event; together they must match the golden
// transcript event by event, JSON field by field.
void compareEvents(const QByteArrayList &actual, const QByteArray &expectedTranscript, bool anthropic)
{
    SseParser expectedParser;
    const QList<SseEvent> expected = expectedParser.feed(expectedTranscript);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        SseParser parser;
        const QList<SseEvent> got = parser.feed(actual.at(i));
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.first().raw, actual.at(i));
        QCOMPARE(got.first().event, expected.at(i).event);
        if (expected.at(i).data == "[DONE]") {
            QCOMPARE(got.first().data, QByteArray("[DONE]"));
            continue;
        }
        const QJsonObject data = QJsonDocument::fromJson(got.first().data).object();
        if (anthropic)
            QCOMPARE(data.value("type"_L1).toString().toUtf8(), got.first().event);
        const QStringList differences =
            diff(data, QJsonDocument::fromJson(expected.at(i).data).object(), u"event[%1]"_s.arg(i));
        QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u'\n')));
    }
}

// A stream case's transcript, fed whole, gives the golden events, usage and error, and the
// translator ignores what comes after the end. `namedEvents`: each event's "event:" field
// is its data's type (Anthropic and Responses events).
using TranslateStream = std::function<StreamRun(const QByteArray &transcript, qsizetype step)>;
void checkStreamCase(const QJsonObject &c, const TranslateStream &translate, bool namedEvents)
{
    const QByteArray transcript = readData(c.value("input"_L1).toString());
    QVERIFY(!transcript.isEmpty());
    const StreamRun run = translate(transcript, transcript.size());
    compareEvents(run.events, readData(c.value("expected"_L1).toString()), namedEvents);
    if (QTest::currentTestFailed())
        return;
    QList<qint64> usage;
    for (const QJsonValue &count : c.value("usage"_L1).toArray())
        usage.append(count.toInteger());
    QCOMPARE(usageList(run.usage), usage);
    QCOMPARE(run.error, c.value("error"_L1).toString());
    QVERIFY(run.finished);
    QCOMPARE(run.afterEnd, QByteArrayList());
}

// The same transcript fed whole, one byte at a time, in 7-byte pieces and with CRLF line
// ends gives the same client events.
void checkStreamSplitAnyway(const QJsonObject &c, const TranslateStream &translate)
{
    const QByteArray transcript = readData(c.value("input"_L1).toString());
    const QByteArrayList whole = translate(transcript, transcript.size()).events;
    QVERIFY(whole.size() >= 3);
    QCOMPARE(translate(transcript, 1).events, whole);
    QCOMPARE(translate(transcript, 7).events, whole);
    const QByteArray crlf = QByteArray(transcript).replace("\n", "\r\n");
    QCOMPARE(translate(crlf, 1).events, whole);
}

} // namespace

void TestDialectTranslation::request_data()
{
    addCases("requests");
}

void TestDialectTranslation::request()
{
    QFETCH(QJsonObject, c);
    const QJsonObject input = readJson(c.value("input"_L1).toString());
    QVERIFY(!input.isEmpty());
    const auto result = toAnthropic(c) ? ChatToMessages::translate(input, AnthropicModel)
                                       : MessagesToChat::translate(input, OpenAiModel);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    COMPARE_JSON(result.value(), readJson(c.value("expected"_L1).toString()));
}

void TestDialectTranslation::untranslatable_data()
{
    QTest::addColumn<QJsonObject>("c");
    const QJsonArray cases = QJsonDocument::fromJson(readData(u"untranslatable.json"_s)).array();
    QVERIFY(!cases.isEmpty());
    for (const QJsonValue &value : cases)
        QTest::newRow(qPrintable(value.toObject().value("name"_L1).toString())) << value.toObject();
}

// Requests (and upstream responses) that cannot cross give an error naming the field.
void TestDialectTranslation::untranslatable()
{
    QFETCH(QJsonObject, c);
    const bool toAnthropic = c.value("direction"_L1) == "to-anthropic"_L1;
    const QJsonObject body = c.value(c.contains("request"_L1) ? "request"_L1 : "body"_L1).toObject();
    Result<QJsonObject> result = Error{};
    if (c.value("kind"_L1) == "responses-request"_L1)
        result = ResponsesToMessages::translate(body, AnthropicModel);
    else if (c.value("kind"_L1) == "request"_L1)
        result = toAnthropic ? ChatToMessages::translate(body, AnthropicModel)
                             : MessagesToChat::translate(body, OpenAiModel);
    else
        result = toAnthropic ? ResponseTranslator::toAnthropicMessage(body)
                             : ResponseTranslator::toChatCompletion(body, Created);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, c.value("error"_L1).toString());
}

void TestDialectTranslation::roundTripOpenAi_data()
{
    addCases("round_trips");
}

void TestDialectTranslation::roundTripOpenAi()
{
    QFETCH(QJsonObject, c);
    const QJsonObject chat = readJson(c.value("input"_L1).toString());
    const auto anthropic = ChatToMessages::translate(chat, AnthropicModel);
    QVERIFY(anthropic.ok());
    const auto back = MessagesToChat::translate(anthropic.value(), OpenAiModel);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    COMPARE_JSON(chatMeaning(back.value()), chatMeaning(chat));
}

void TestDialectTranslation::response_data()
{
    addCases("responses");
}

void TestDialectTranslation::response()
{
    QFETCH(QJsonObject, c);
    const QJsonObject input = readJson(c.value("input"_L1).toString());
    QVERIFY(!input.isEmpty());
    const auto result = toAnthropic(c) ? ResponseTranslator::toAnthropicMessage(input)
                                       : ResponseTranslator::toChatCompletion(input, Created);
    QVERIFY(result.ok());
    COMPARE_JSON(result.value(), readJson(c.value("expected"_L1).toString()));
}

void TestDialectTranslation::errorBody_data()
{
    addCases("errors");
}

void TestDialectTranslation::errorBody()
{
    QFETCH(QJsonObject, c);
    const QByteArray body = readData(c.value("input"_L1).toString());
    QVERIFY(!body.isEmpty());
    const int status = c.value("status"_L1).toInt();
    const QJsonObject result = toAnthropic(c) ? ResponseTranslator::toAnthropicError(body, status)
                                              : ResponseTranslator::toOpenAiError(body, status);
    COMPARE_JSON(result, readJson(c.value("expected"_L1).toString()));
}

void TestDialectTranslation::stopReasons_data()
{
    QTest::addColumn<QString>("stopReason");
    QTest::addColumn<QString>("finishReason");
    QTest::addColumn<QString>("backToAnthropic");
    QTest::newRow("end_turn") << "end_turn"
                              << "stop"
                              << "end_turn";
    QTest::newRow("stop_sequence") << "stop_sequence"
                                   << "stop"
                                   << "end_turn";
    QTest::newRow("pause_turn") << "pause_turn"
                                << "stop"
                                << "end_turn";
    QTest::newRow("max_tokens") << "max_tokens"
                                << "length"
                                << "max_tokens";
    QTest::newRow("model_context_window_exceeded") << "model_context_window_exceeded"
                                                   << "length"
                                                   << "max_tokens";
    QTest::newRow("tool_use") << "tool_use"
                              << "tool_calls"
                              << "tool_use";
    QTest::newRow("refusal") << "refusal"
                             << "content_filter"
                             << "refusal";
}

void TestDialectTranslation::stopReasons()
{
    QFETCH(QString, stopReason);
    QFETCH(QString, finishReason);
    QFETCH(QString, backToAnthropic);
    QCOMPARE(DialectMapping::finishReasonFor(stopReason), finishReason);
    QCOMPARE(DialectMapping::stopReasonFor(finishReason), backToAnthropic);
}

void TestDialectTranslation::stream_data()
{
    addCases("streams");
}

void TestDialectTranslation::stream()
{
    QFETCH(QJsonObject, c);
    checkStreamCase(c, [&c](const QByteArray &bytes, qsizetype step) { return translateStream(c, bytes, step); },
                    toAnthropic(c));
}

void TestDialectTranslation::streamSplitAnyway_data()
{
    addCases("streams");
}

void TestDialectTranslation::streamSplitAnyway()
{
    QFETCH(QJsonObject, c);
    checkStreamSplitAnyway(c, [&c](const QByteArray &bytes, qsizetype step) { return translateStream(c, bytes, step); });
}

void TestDialectTranslation::responsesRequest_data()
{
    addCases("responses_requests");
}

void TestDialectTranslation::responsesRequest()
{
    QFETCH(QJsonObject, c);
    const QJsonObject input = readJson(c.value("input"_L1).toString());
    QVERIFY(!input.isEmpty());
    const auto chat = responsesToChat(input);
    QVERIFY2(chat.ok(), qPrintable(chat.ok() ? QString() : chat.error().message));
    COMPARE_JSON(chat.value(), readJson(c.value("expected_chat"_L1).toString()));
    if (!c.contains("expected_anthropic"_L1))
        return;
    const auto messages = ResponsesToMessages::translate(input, AnthropicModel);
    QVERIFY2(messages.ok(), qPrintable(messages.ok() ? QString() : messages.error().message));
    COMPARE_JSON(messages.value(), readJson(c.value("expected_anthropic"_L1).toString()));
}

void TestDialectTranslation::responsesRoundTrip_data()
{
    addCases("responses_round_trips");
}

// Responses → chat → Messages → chat means what Responses → chat means.
void TestDialectTranslation::responsesRoundTrip()
{
    QFETCH(QJsonObject, c);
    const QJsonObject input = readJson(c.value("input"_L1).toString());
    const auto chat = responsesToChat(input);
    QVERIFY(chat.ok());
    const auto messages = ResponsesToMessages::translate(input, AnthropicModel);
    QVERIFY2(messages.ok(), qPrintable(messages.ok() ? QString() : messages.error().message));
    const auto back = MessagesToChat::translate(messages.value(), OpenAiModel);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    COMPARE_JSON(chatMeaning(back.value()), chatMeaning(chat.value()));
}

void TestDialectTranslation::responsesResponse_data()
{
    addCases("responses_responses");
}

void TestDialectTranslation::responsesResponse()
{
    QFETCH(QJsonObject, c);
    QJsonObject completion = readJson(c.value("input"_L1).toString());
    QVERIFY(!completion.isEmpty());
    if (c.value("from"_L1) == "anthropic"_L1) {
        const auto chat = ResponseTranslator::toChatCompletion(completion, Created);
        QVERIFY(chat.ok());
        completion = chat.value();
    }
    const auto result = ChatToResponses::toResponse(completion, readJson(c.value("request"_L1).toString()), Created);
    QVERIFY(result.ok());
    COMPARE_JSON(result.value(), readJson(c.value("expected"_L1).toString()));
}

void TestDialectTranslation::responsesStream_data()
{
    addCases("responses_streams");
}

void TestDialectTranslation::responsesStream()
{
    QFETCH(QJsonObject, c);
    checkStreamCase(
        c, [&c](const QByteArray &bytes, qsizetype step) { return translateResponsesStream(c, bytes, step); }, true);
}

void TestDialectTranslation::responsesStreamSplitAnyway_data()
{
    addCases("responses_streams");
}

void TestDialectTranslation::responsesStreamSplitAnyway()
{
    QFETCH(QJsonObject, c);
    checkStreamSplitAnyway(
        c, [&c](const QByteArray &bytes, qsizetype step) { return translateResponsesStream(c, bytes, step); });
}

QTEST_GUILESS_MAIN(TestDialectTranslation)
#include "tst_DialectTranslation.moc"
