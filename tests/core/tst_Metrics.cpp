// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/Metrics.h"
#include <QRegularExpression>
#include <QTest>

using namespace Switchyard;

namespace {

const QString general = QStringLiteral("general");
const QString openai = QStringLiteral("openai");
const QString mini = QStringLiteral("gpt-4o-mini");

struct Call
{
    CallRecord record;
    std::optional<double> costUsd;
};
using Calls = QList<Call>;

// One finished call with a single attempt at its target; tests adjust the fields they need.
CallRecord call(const QString &alias, const QString &provider, const QString &model,
                ErrorClass error = ErrorClass::None, qint64 durationMs = 1000)
{
    CallRecord r;
    r.endpoint = QStringLiteral("/v1/chat/completions");
    r.alias = alias;
    r.provider = provider;
    r.model = model;
    r.ok = error == ErrorClass::None;
    r.status = r.ok ? 200 : 502;
    r.errorClass = error;
    r.durationMs = durationMs;
    r.attempts = {Attempt{provider, model, r.ok ? 200 : 502, error, {}, 0, durationMs, {}}};
    return r;
}

CallRecord withUsage(CallRecord r, std::optional<qint64> prompt, std::optional<qint64> completion,
                     std::optional<qint64> cachedPrompt = std::nullopt)
{
    r.usage = Usage{prompt, completion, cachedPrompt};
    return r;
}

QByteArray render(const Calls &calls, double uptime = 42.5)
{
    Metrics metrics([uptime] { return uptime; });
    for (const Call &c : calls)
        metrics.record(c.record, c.costUsd);
    return metrics.prometheusText();
}

// "name{labels}" → value, for every sample line.
QMap<QByteArray, double> samples(const QByteArray &text)
{
    QMap<QByteArray, double> result;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        result.insert(line.left(space), line.mid(space + 1).toDouble());
    }
    return result;
}

double sumOf(const QMap<QByteArray, double> &all, const QByteArray &prefix)
{
    double sum = 0;
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        sum += it.key().startsWith(prefix) ? it.value() : 0;
    return sum;
}

// Why one line is not a valid 0.0.4 sample or comment; empty when it is.
QString lineProblem(const QByteArray &line)
{
    static const QRegularExpression comment(QStringLiteral(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$)"));
    static const QRegularExpression helpText(QStringLiteral(R"(^(?:[^\\\n]|\\[\\n])*$)"));
    static const QRegularExpression type(QStringLiteral("^(counter|gauge|histogram|summary|untyped)$"));
    static const QString label = QStringLiteral(R"([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")");
    // name, optional {labels}, value, optional timestamp
    static const QRegularExpression sample(
        QStringLiteral(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:%1(?:,%1)*,?)?\})? (\S+)(?: -?[0-9]+)?$)").arg(label));
    static const QRegularExpression value(
        QStringLiteral(R"(^(?:[+-]?Inf|NaN|[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$)"));

    const QString text = QString::fromUtf8(line);
    if (text.isEmpty())
        return QStringLiteral("empty line");
    if (text.startsWith(QLatin1Char('#'))) {
        const QRegularExpressionMatch m = comment.match(text);
        if (!m.hasMatch())
            return QStringLiteral("comment is neither HELP nor TYPE");
        if (m.captured(1) == QLatin1String("TYPE") && !type.match(m.captured(3)).hasMatch())
            return QStringLiteral("unknown type ") + m.captured(3);
        if (m.captured(1) == QLatin1String("HELP") && !helpText.match(m.captured(3)).hasMatch())
            return QStringLiteral("bad escape in HELP");
        return {};
    }
    const QRegularExpressionMatch m = sample.match(text);
    if (!m.hasMatch())
        return QStringLiteral("not a sample: name, labels, value");
    if (!value.match(m.captured(1)).hasMatch())
        return QStringLiteral("not a float: ") + m.captured(1);
    return {};
}

// Every line valid, the text newline-terminated, every sample under its family's TYPE line.
QString textProblem(const QByteArray &text)
{
    if (!text.endsWith('\n'))
        return QStringLiteral("text does not end with a newline");
    QByteArray family;
    QByteArray familyType;
    QList<QByteArray> lines = text.split('\n');
    lines.removeLast();
    for (const QByteArray &line : std::as_const(lines)) {
        if (const QString problem = lineProblem(line); !problem.isEmpty())
            return problem + QStringLiteral(": ") + QString::fromUtf8(line);
        if (line.startsWith("# TYPE ")) {
            const QList<QByteArray> words = line.split(' ');
            family = words.at(2);
            familyType = words.at(3);
            continue;
        }
        if (line.startsWith('#'))
            continue;
        const QByteArray name = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
        const bool histogramPart = familyType == "histogram"
            && (name == family + "_bucket" || name == family + "_sum" || name == family + "_count");
        if (name != family && !histogramPart)
            return QStringLiteral("sample outside its family: ") + QString::fromUtf8(line);
    }
    return {};
}

const QByteArray durationBucket = "switchyard_request_duration_seconds_bucket";
const QList<QByteArray> bucketBounds{"0.05", "0.1", "0.25", "0.5", "1",  "2.5", "5",
                                     "10",   "20",  "30",   "60",  "120", "+Inf"};

} // namespace

Q_DECLARE_METATYPE(Calls)

class TestMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactText();
    void emptyRegistry();
    void countersAddUp_data();
    void countersAddUp();
    void histogramBuckets_data();
    void histogramBuckets();
    void ttftSkipsCallsWithout();
    void labelEscaping_data();
    void labelEscaping();
    void unpricedCountedSeparately();
    void inFlightGauge();
    void modelNamesBounded();
    void orderIsStable();
    void defaultUptime();
    void everyLineValid_data();
    void everyLineValid();
    void validatorRejectsBadLines_data();
    void validatorRejectsBadLines();
};

void TestMetrics::exactText()
{
    Metrics metrics([] { return 42.5; });
    CallRecord aliased = withUsage(call(general, openai, mini, ErrorClass::None, 1200), 100, 20);
    aliased.ttftMs = 300;
    CallRecord direct = call({}, QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"),
                             ErrorClass::RateLimited, 250);
    direct.status = 429;
    direct.attempts.append(direct.attempts.constFirst());
    metrics.record(aliased, 0.0125);
    metrics.record(direct, std::nullopt);
    metrics.setInFlight(1);

    const QByteArray expected = R"(# HELP switchyard_cost_usd_total Cost in US dollars of priced calls.
# TYPE switchyard_cost_usd_total counter
switchyard_cost_usd_total{alias="general",provider="openai",model="gpt-4o-mini"} 0.0125
# HELP switchyard_errors_total Failed calls by error class.
# TYPE switchyard_errors_total counter
switchyard_errors_total{error_class="bad_request"} 0
switchyard_errors_total{error_class="bad_upstream_response"} 0
switchyard_errors_total{error_class="client_cancelled"} 0
switchyard_errors_total{error_class="connect_failed"} 0
switchyard_errors_total{error_class="no_healthy_target"} 0
switchyard_errors_total{error_class="rate_limited"} 1
switchyard_errors_total{error_class="stream_interrupted"} 0
switchyard_errors_total{error_class="timeout_connect"} 0
switchyard_errors_total{error_class="timeout_first_byte"} 0
switchyard_errors_total{error_class="timeout_idle"} 0
switchyard_errors_total{error_class="unknown_model"} 0
switchyard_errors_total{error_class="upstream_4xx"} 0
switchyard_errors_total{error_class="upstream_5xx"} 0
# HELP switchyard_request_duration_seconds Duration of calls, from request to last byte.
# TYPE switchyard_request_duration_seconds histogram
switchyard_request_duration_seconds_bucket{alias="",le="0.05"} 0
switchyard_request_duration_seconds_bucket{alias="",le="0.1"} 0
switchyard_request_duration_seconds_bucket{alias="",le="0.25"} 1
switchyard_request_duration_seconds_bucket{alias="",le="0.5"} 1
switchyard_request_duration_seconds_bucket{alias="",le="1"} 1
switchyard_request_duration_seconds_bucket{alias="",le="2.5"} 1
switchyard_request_duration_seconds_bucket{alias="",le="5"} 1
switchyard_request_duration_seconds_bucket{alias="",le="10"} 1
switchyard_request_duration_seconds_bucket{alias="",le="20"} 1
switchyard_request_duration_seconds_bucket{alias="",le="30"} 1
switchyard_request_duration_seconds_bucket{alias="",le="60"} 1
switchyard_request_duration_seconds_bucket{alias="",le="120"} 1
switchyard_request_duration_seconds_bucket{alias="",le="+Inf"} 1
switchyard_request_duration_seconds_sum{alias=""} 0.25
switchyard_request_duration_seconds_count{alias=""} 1
switchyard_request_duration_seconds_bucket{alias="general",le="0.05"} 0
switchyard_request_duration_seconds_bucket{alias="general",le="0.1"} 0
switchyard_request_duration_seconds_bucket{alias="general",le="0.25"} 0
switchyard_request_duration_seconds_bucket{alias="general",le="0.5"} 0
switchyard_request_duration_seconds_bucket{alias="general",le="1"} 0
switchyard_request_duration_seconds_bucket{alias="general",le="2.5"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="5"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="10"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="20"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="30"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="60"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="120"} 1
switchyard_request_duration_seconds_bucket{alias="general",le="+Inf"} 1
switchyard_request_duration_seconds_sum{alias="general"} 1.2
switchyard_request_duration_seconds_count{alias="general"} 1
# HELP switchyard_requests_in_flight Calls being served now.
# TYPE switchyard_requests_in_flight gauge
switchyard_requests_in_flight 1
# HELP switchyard_requests_total Finished calls by outcome.
# TYPE switchyard_requests_total counter
switchyard_requests_total{alias="",provider="anthropic",outcome="error"} 1
switchyard_requests_total{alias="general",provider="openai",outcome="ok"} 1
# HELP switchyard_time_to_first_token_seconds Time to the first token sent (first stream event), for calls that got one.
# TYPE switchyard_time_to_first_token_seconds histogram
switchyard_time_to_first_token_seconds_bucket{alias="general",le="0.05"} 0
switchyard_time_to_first_token_seconds_bucket{alias="general",le="0.1"} 0
switchyard_time_to_first_token_seconds_bucket{alias="general",le="0.25"} 0
switchyard_time_to_first_token_seconds_bucket{alias="general",le="0.5"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="1"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="2.5"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="5"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="10"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="20"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="30"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="60"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="120"} 1
switchyard_time_to_first_token_seconds_bucket{alias="general",le="+Inf"} 1
switchyard_time_to_first_token_seconds_sum{alias="general"} 0.3
switchyard_time_to_first_token_seconds_count{alias="general"} 1
# HELP switchyard_tokens_total Tokens reported by upstreams.
# TYPE switchyard_tokens_total counter
switchyard_tokens_total{alias="general",provider="openai",model="gpt-4o-mini",kind="completion"} 20
switchyard_tokens_total{alias="general",provider="openai",model="gpt-4o-mini",kind="prompt"} 100
# HELP switchyard_unpriced_requests_total Answered calls whose model has no known price.
# TYPE switchyard_unpriced_requests_total counter
# HELP switchyard_upstream_attempts_total Attempts at upstream targets by result.
# TYPE switchyard_upstream_attempts_total counter
switchyard_upstream_attempts_total{provider="anthropic",model="claude-3-5-haiku-latest",result="rate_limited"} 2
switchyard_upstream_attempts_total{provider="openai",model="gpt-4o-mini",result="ok"} 1
# HELP switchyard_uptime_seconds Seconds since the process started.
# TYPE switchyard_uptime_seconds gauge
switchyard_uptime_seconds 42.5
)";
    const QList<QByteArray> actualLines = metrics.prometheusText().split('\n');
    const QList<QByteArray> expectedLines = expected.split('\n');
    for (qsizetype i = 0; i < std::min(actualLines.size(), expectedLines.size()); ++i)
        QCOMPARE(actualLines.at(i), expectedLines.at(i));
    QCOMPARE(actualLines.size(), expectedLines.size());
}

void TestMetrics::emptyRegistry()
{
    const QByteArray text = render({}, 7);
    QVERIFY(text.contains("# HELP switchyard_requests_in_flight Calls being served now.\n"
                          "# TYPE switchyard_requests_in_flight gauge\n"
                          "switchyard_requests_in_flight 0\n"));
    QVERIFY(text.contains("# HELP switchyard_uptime_seconds Seconds since the process started.\n"
                          "# TYPE switchyard_uptime_seconds gauge\n"
                          "switchyard_uptime_seconds 7\n"));

    QList<QByteArray> types;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("# TYPE "))
            types << line.mid(7);
    }
    const QList<QByteArray> expectedTypes{
        "switchyard_cost_usd_total counter",
        "switchyard_errors_total counter",
        "switchyard_request_duration_seconds histogram",
        "switchyard_requests_in_flight gauge",
        "switchyard_requests_total counter",
        "switchyard_time_to_first_token_seconds histogram",
        "switchyard_tokens_total counter",
        "switchyard_unpriced_requests_total counter",
        "switchyard_upstream_attempts_total counter",
        "switchyard_uptime_seconds gauge",
    };
    QCOMPARE(types, expectedTypes);
    QCOMPARE(text.count("# HELP "), expectedTypes.size());

    const QMap<QByteArray, double> all = samples(text);
    QCOMPARE(sumOf(all, "switchyard_errors_total{"), 0.0);
    QCOMPARE(all.size(), 13 + 2); // every error class at 0, and the two gauges
}

void TestMetrics::countersAddUp_data()
{
    QTest::addColumn<Calls>("calls");
    QTest::addColumn<QByteArray>("series");
    QTest::addColumn<double>("expected");

    const CallRecord ok = call(general, openai, mini);
    const CallRecord timedOut = call(general, openai, mini, ErrorClass::TimeoutIdle);
    CallRecord failedWithoutClass = ok;
    failedWithoutClass.ok = false;
    CallRecord retried = ok;
    retried.attempts = {Attempt{openai, mini, 503, ErrorClass::Upstream5xx, {}, 0, 10, {}},
                        Attempt{openai, mini, 503, ErrorClass::Upstream5xx, {}, 20, 10, {}},
                        Attempt{openai, mini, 200, ErrorClass::None, {}, 40, 900, {}}};
    const QByteArray requests = "switchyard_requests_total";
    const QByteArray tokens = R"(switchyard_tokens_total{alias="general",provider="openai",model="gpt-4o-mini",kind=)";
    const QByteArray attempts = R"(switchyard_upstream_attempts_total{provider="openai",model="gpt-4o-mini",result=)";

    QTest::newRow("two ok calls to one alias")
        << Calls{{ok, 0.1}, {ok, 0.1}}
        << requests + R"({alias="general",provider="openai",outcome="ok"})" << 2.0;
    QTest::newRow("ok and failed are separate outcomes")
        << Calls{{ok, 0.1}, {timedOut, {}}}
        << requests + R"({alias="general",provider="openai",outcome="error"})" << 1.0;
    QTest::newRow("direct provider call has an empty alias")
        << Calls{{call({}, openai, mini), 0.1}}
        << requests + R"({alias="",provider="openai",outcome="ok"})" << 1.0;
    QTest::newRow("errors by class")
        << Calls{{timedOut, {}}, {ok, 0.1}, {timedOut, {}}}
        << QByteArray(R"(switchyard_errors_total{error_class="timeout_idle"})") << 2.0;
    QTest::newRow("failed call without a class counts as unknown")
        << Calls{{ok, 0.1}, {failedWithoutClass, {}}}
        << QByteArray(R"(switchyard_errors_total{error_class="unknown"})") << 1.0;
    QTest::newRow("prompt tokens add across calls")
        << Calls{{withUsage(ok, 100, 10), 0.1}, {withUsage(ok, 200, std::nullopt), 0.1}}
        << tokens + R"("prompt"})" << 300.0;
    QTest::newRow("cached prompt tokens")
        << Calls{{withUsage(ok, 100, 10, 40), 0.1}, {withUsage(ok, 100, 10, 10), 0.1}}
        << tokens + R"("cached_prompt"})" << 50.0;
    QTest::newRow("cost adds across calls")
        << Calls{{ok, 0.5}, {ok, 0.25}, {timedOut, {}}}
        << QByteArray(R"(switchyard_cost_usd_total{alias="general",provider="openai",model="gpt-4o-mini"})") << 0.75;
    QTest::newRow("failed attempts by class")
        << Calls{{retried, 0.1}, {retried, 0.1}} << attempts + R"("upstream_5xx"})" << 4.0;
    QTest::newRow("successful attempts are ok")
        << Calls{{retried, 0.1}, {ok, 0.1}} << attempts + R"("ok"})" << 2.0;
}

void TestMetrics::countersAddUp()
{
    QFETCH(Calls, calls);
    QFETCH(QByteArray, series);
    QFETCH(double, expected);

    const QMap<QByteArray, double> all = samples(render(calls));
    QVERIFY2(all.contains(series), series.constData());
    QCOMPARE(all.value(series), expected);

    const auto failed = std::count_if(calls.cbegin(), calls.cend(), [](const Call &c) { return !c.record.ok; });
    QCOMPARE(sumOf(all, "switchyard_requests_total{"), double(calls.size()));
    QCOMPARE(sumOf(all, "switchyard_errors_total{"), double(failed));
}

void TestMetrics::histogramBuckets_data()
{
    QTest::addColumn<QList<qint64>>("durationsMs");
    QTest::addColumn<QList<double>>("cumulative"); // one per bound in bucketBounds, +Inf last
    QTest::addColumn<double>("sum");

    QTest::newRow("one fast call") << QList<qint64>{30} << QList<double>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1} << 0.03;
    QTest::newRow("a value on a bound counts in that bucket")
        << QList<qint64>{50, 100} << QList<double>{1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2} << 0.15;
    QTest::newRow("spread over the range")
        << QList<qint64>{40, 300, 3000, 45000} << QList<double>{1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4} << 48.34;
    QTest::newRow("slower than the last bound only in +Inf")
        << QList<qint64>{200000, 1000} << QList<double>{0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2} << 201.0;
}

void TestMetrics::histogramBuckets()
{
    QFETCH(QList<qint64>, durationsMs);
    QFETCH(QList<double>, cumulative);
    QFETCH(double, sum);

    Calls calls;
    for (const qint64 ms : std::as_const(durationsMs))
        calls << Call{call(general, openai, mini, ErrorClass::None, ms), 0.0};
    const QMap<QByteArray, double> all = samples(render(calls));

    double previous = 0;
    for (qsizetype i = 0; i < bucketBounds.size(); ++i) {
        const QByteArray series = durationBucket + R"({alias="general",le=")" + bucketBounds.at(i) + "\"}";
        QVERIFY2(all.contains(series), series.constData());
        QCOMPARE(all.value(series), cumulative.at(i));
        QVERIFY(all.value(series) >= previous);
        previous = all.value(series);
    }
    QCOMPARE(all.value(R"(switchyard_request_duration_seconds_count{alias="general"})"), double(durationsMs.size()));
    QCOMPARE(all.value(R"(switchyard_request_duration_seconds_count{alias="general"})"), previous);
    QVERIFY(qFuzzyCompare(all.value(R"(switchyard_request_duration_seconds_sum{alias="general"})"), sum));
}

void TestMetrics::ttftSkipsCallsWithout()
{
    CallRecord streamed = call(general, openai, mini);
    streamed.ttftMs = 100;
    CallRecord later = streamed;
    later.ttftMs = 700;
    const CallRecord failedBeforeFirstByte = call(general, openai, mini, ErrorClass::TimeoutFirstByte);
    const CallRecord otherAlias = call(QStringLiteral("cheap"), openai, mini, ErrorClass::ConnectFailed);

    const QMap<QByteArray, double> all =
        samples(render({{streamed, 0.1}, {failedBeforeFirstByte, {}}, {later, 0.1}, {otherAlias, {}}}));
    QCOMPARE(all.value(R"(switchyard_time_to_first_token_seconds_count{alias="general"})"), 2.0);
    QVERIFY(qFuzzyCompare(all.value(R"(switchyard_time_to_first_token_seconds_sum{alias="general"})"), 0.8));
    QCOMPARE(all.value(R"(switchyard_time_to_first_token_seconds_bucket{alias="general",le="0.1"})"), 1.0);
    QCOMPARE(all.value(R"(switchyard_request_duration_seconds_count{alias="general"})"), 3.0);
    QCOMPARE(all.value(R"(switchyard_request_duration_seconds_count{alias="cheap"})"), 1.0);
    QVERIFY(!all.contains(R"(switchyard_time_to_first_token_seconds_count{alias="cheap"})"));
}

void TestMetrics::labelEscaping_data()
{
    QTest::addColumn<QString>("alias");
    QTest::addColumn<QByteArray>("escaped");

    QTest::newRow("plain") << general << QByteArray("general");
    QTest::newRow("backslash") << QStringLiteral("a\\b") << QByteArray(R"(a\\b)");
    QTest::newRow("double quote") << QStringLiteral("say \"hi\"") << QByteArray(R"(say \"hi\")");
    QTest::newRow("newline") << QStringLiteral("two\nlines") << QByteArray(R"(two\nlines)");
    QTest::newRow("all three") << QStringLiteral("\\\"\n") << QByteArray(R"(\\\"\n)");
    QTest::newRow("escaped-looking text is escaped again") << QStringLiteral("\\n") << QByteArray(R"(\\n)");
    const QString utf8 = QStringLiteral("caf\u00e9 \u2192 \u732b");
    QTest::newRow("utf-8 passes through") << utf8 << utf8.toUtf8();
    QTest::newRow("tab and braces stay raw") << QStringLiteral("a\t{b},c=d") << QByteArray("a\t{b},c=d");
}

void TestMetrics::labelEscaping()
{
    QFETCH(QString, alias);
    QFETCH(QByteArray, escaped);

    const QByteArray text = render({{call(alias, openai, mini), 0.1}});
    const QByteArray line = R"(switchyard_requests_total{alias=")" + escaped + R"(",provider="openai",outcome="ok"} 1)";
    QVERIFY2(text.split('\n').contains(line), text.constData());
    const QString problem = textProblem(text);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestMetrics::unpricedCountedSeparately()
{
    const QString local = QStringLiteral("local");
    const QString llama = QStringLiteral("llama3");
    const QMap<QByteArray, double> all = samples(render({
        {withUsage(call(general, openai, mini), 100, 10), 0.01},
        {withUsage(call(general, local, llama), 100, 10), std::nullopt},
        {withUsage(call(QStringLiteral("cheap"), local, llama), 50, 5), std::nullopt},
        {call(QStringLiteral("cheap"), local, QStringLiteral("free-model")), 0.0},
        {call(QStringLiteral("nonesuch"), {}, {}, ErrorClass::UnknownModel), std::nullopt},
    }));

    QCOMPARE(all.value(R"(switchyard_unpriced_requests_total{provider="local",model="llama3"})"), 2.0);
    QCOMPARE(sumOf(all, "switchyard_unpriced_requests_total{"), 2.0); // the call that reached no target is not counted
    QCOMPARE(all.value(R"(switchyard_cost_usd_total{alias="general",provider="openai",model="gpt-4o-mini"})"), 0.01);
    // A free model is priced (at $0), not unpriced.
    QVERIFY(all.contains(R"(switchyard_cost_usd_total{alias="cheap",provider="local",model="free-model"})"));
    QVERIFY(!all.contains(R"(switchyard_cost_usd_total{alias="general",provider="local",model="llama3"})"));
    QCOMPARE(sumOf(all, "switchyard_cost_usd_total{"), 0.01);
    // Unpriced calls still count their tokens.
    QCOMPARE(all.value(R"(switchyard_tokens_total{alias="cheap",provider="local",model="llama3",kind="prompt"})"),
             50.0);
}

void TestMetrics::inFlightGauge()
{
    Metrics metrics([] { return 1.0; });
    metrics.setInFlight(3);
    QCOMPARE(samples(metrics.prometheusText()).value("switchyard_requests_in_flight"), 3.0);
    metrics.setInFlight(0);
    QCOMPARE(samples(metrics.prometheusText()).value("switchyard_requests_in_flight"), 0.0);
}

void TestMetrics::modelNamesBounded()
{
    Metrics metrics([] { return 1.0; });
    for (int i = 0; i < Metrics::MaxModelNames; ++i)
        metrics.record(call({}, openai, QStringLiteral("model-%1").arg(i)), std::nullopt);
    metrics.record(call({}, openai, QStringLiteral("one-too-many")), std::nullopt);
    metrics.record(call({}, openai, QStringLiteral("and-another")), std::nullopt);
    metrics.record(call({}, openai, QStringLiteral("model-0")), std::nullopt);

    const QMap<QByteArray, double> all = samples(metrics.prometheusText());
    QCOMPARE(all.value(R"x(switchyard_unpriced_requests_total{provider="openai",model="(other)"})x"), 2.0);
    QCOMPARE(all.value(R"x(switchyard_upstream_attempts_total{provider="openai",model="(other)",result="ok"})x"), 2.0);
    QCOMPARE(all.value(R"(switchyard_unpriced_requests_total{provider="openai",model="model-0"})"), 2.0);
    QVERIFY(!all.contains(R"(switchyard_unpriced_requests_total{provider="openai",model="one-too-many"})"));
}

void TestMetrics::orderIsStable()
{
    const Call a{withUsage(call(general, openai, mini, ErrorClass::None, 500), 10, 2), 0.5};
    const Call b{call(QStringLiteral("cheap"), QStringLiteral("local"), QStringLiteral("llama3"),
                      ErrorClass::Upstream5xx, 250),
                 std::nullopt};
    const Call c{call({}, QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"),
                      ErrorClass::None, 125),
                 0.25};
    const QByteArray text = render({a, b, c});
    QCOMPARE(render({c, b, a}), text);
    QCOMPARE(render({b, a, c}), text);
}

void TestMetrics::defaultUptime()
{
    const Metrics metrics;
    const double uptime = samples(metrics.prometheusText()).value("switchyard_uptime_seconds", -1);
    QVERIFY(uptime >= 0);
    QVERIFY(uptime < 3600);
}

void TestMetrics::everyLineValid_data()
{
    QTest::addColumn<Calls>("calls");

    CallRecord streamed = withUsage(call(general, openai, mini), 12, 3, 0);
    streamed.ttftMs = 80;
    CallRecord nasty = call(QStringLiteral("a\\\"b\nc"), QStringLiteral("pro\"vider"), QStringLiteral("mo\\del\n"),
                            ErrorClass::StreamInterrupted, 0);
    nasty.ttftMs = 0;

    QTest::newRow("empty registry") << Calls{};
    QTest::newRow("streamed and priced") << Calls{{streamed, 0.0000123}};
    QTest::newRow("escapes in every label") << Calls{{nasty, std::nullopt}};
    QTest::newRow("tiny and huge costs") << Calls{{streamed, 1e-12}, {streamed, 1e12}};
    QTest::newRow("every error class") << [&] {
        Calls calls;
        for (int i = int(ErrorClass::Upstream4xx); i <= int(ErrorClass::ClientCancelled); ++i)
            calls << Call{call(general, openai, mini, ErrorClass(i)), std::nullopt};
        return calls;
    }();
}

void TestMetrics::everyLineValid()
{
    QFETCH(Calls, calls);
    const QString problem = textProblem(render(calls));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestMetrics::validatorRejectsBadLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");

    QTest::newRow("bare sample") << QByteArray("metric 1") << true;
    QTest::newRow("labels and float") << QByteArray(R"(m_x:y{a="b",c="d"} 1.5)") << true;
    QTest::newRow("trailing comma") << QByteArray(R"(m{a="b",} 1)") << true;
    QTest::newRow("timestamp") << QByteArray("m 1 1700000000000") << true;
    QTest::newRow("+Inf") << QByteArray("m +Inf") << true;
    QTest::newRow("NaN") << QByteArray("m NaN") << true;
    QTest::newRow("exponent") << QByteArray("m 1.5e-05") << true;
    QTest::newRow("escaped label value") << QByteArray(R"(m{a="x\\y\"z\n"} 1)") << true;
    QTest::newRow("HELP and TYPE") << QByteArray("# TYPE m counter") << true;
    QTest::newRow("name starts with a digit") << QByteArray("1m 1") << false;
    QTest::newRow("unquoted label value") << QByteArray("m{a=b} 1") << false;
    QTest::newRow("bare quote in value") << QByteArray(R"(m{a="x"y"} 1)") << false;
    QTest::newRow("unknown escape") << QByteArray(R"(m{a="x\q"} 1)") << false;
    QTest::newRow("label name starts with a digit") << QByteArray(R"(m{9a="x"} 1)") << false;
    QTest::newRow("two dots") << QByteArray("m 1.2.3") << false;
    QTest::newRow("word for a value") << QByteArray("m abc") << false;
    QTest::newRow("no value") << QByteArray(R"(m{a="b"})") << false;
    QTest::newRow("unknown type") << QByteArray("# TYPE m countr") << false;
    QTest::newRow("empty line") << QByteArray() << false;
}

void TestMetrics::validatorRejectsBadLines()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QCOMPARE(lineProblem(line).isEmpty(), valid);
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_Metrics.moc"
