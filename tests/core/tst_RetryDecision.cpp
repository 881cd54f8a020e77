// SPDX-License-Identifier: GPL-3.0-or-later
// The retry decision after a failed attempt, with a fake clock: which failures are retried on
// the same target, for how long the call waits, and when it moves on to the next target.
#include "core/routing/RetryDecision.h"
#include "core/routing/TargetHealth.h"
#include <QTest>

using namespace Switchyard;

class TestRetryDecision : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decide_data();
    void decide();
    void cooldownFromTargetHealth_data();
    void cooldownFromTargetHealth();
    void backoffGrowsAndIsCapped_data();
    void backoffGrowsAndIsCapped();
    void retryAfterMs_data();
    void retryAfterMs();
};

namespace {
const QDateTime Now(QDate(2024, 6, 1), QTime(12, 0), Qt::UTC);
constexpr double MidJitter = 0.5; // backoff exactly at its nominal value
}

void TestRetryDecision::decide_data()
{
    QTest::addColumn<int>("errorClass");
    QTest::addColumn<int>("attempts");     // attempts made on the target so far
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<qint64>("cooldownUntilOffsetMs"); // relative to Now; 0: none
    QTest::addColumn<bool>("retrySame");
    QTest::addColumn<qint64>("delayMs");

    const auto row = [](const char *name, ErrorClass c, int attempts, int max, const QByteArray &retryAfter, qint64 cooldown,
                        bool retry, qint64 delay) {
        QTest::newRow(name) << int(c) << attempts << max << retryAfter << cooldown << retry << delay;
    };
    // RetryPolicy{max, 100}: backoff 100 ms after the first attempt, 200 ms after the second.
    row("429 without Retry-After", ErrorClass::RateLimited, 1, 3, {}, 0, true, 100);
    row("429 with Retry-After 2 s", ErrorClass::RateLimited, 1, 3, "2", 0, true, 2000);
    row("429 with Retry-After shorter than backoff", ErrorClass::RateLimited, 2, 3, "0", 0, true, 200);
    row("429 with Retry-After as HTTP-date", ErrorClass::RateLimited, 1, 3, "Sat, 01 Jun 2024 12:00:05 GMT", 0, true, 5000);
    row("429 with Retry-After exactly 30 s", ErrorClass::RateLimited, 1, 3, "30", 0, true, 30000);
    row("429 with Retry-After over 30 s", ErrorClass::RateLimited, 1, 3, "31", 0, false, 0);
    row("429 with Retry-After a day ahead", ErrorClass::RateLimited, 1, 3, "Sun, 02 Jun 2024 12:00:00 GMT", 0, false, 0);
    row("429 with unreadable Retry-After", ErrorClass::RateLimited, 1, 3, "soon", 0, true, 100);
    row("500", ErrorClass::Upstream5xx, 1, 3, {}, 0, true, 100);
    row("503 second attempt", ErrorClass::Upstream5xx, 2, 3, {}, 0, true, 200);
    row("503 with Retry-After", ErrorClass::Upstream5xx, 1, 3, "1", 0, true, 1000);
    row("connect timeout", ErrorClass::TimeoutConnect, 1, 2, {}, 0, true, 100);
    row("first byte timeout", ErrorClass::TimeoutFirstByte, 1, 2, {}, 0, true, 100);
    row("idle timeout", ErrorClass::TimeoutIdle, 1, 2, {}, 0, true, 100);
    row("connect failed", ErrorClass::ConnectFailed, 1, 2, {}, 0, true, 100);
    row("bad upstream response", ErrorClass::BadUpstreamResponse, 1, 2, {}, 0, true, 100);
    row("max attempts reached", ErrorClass::Upstream5xx, 2, 2, {}, 0, false, 0);
    row("one attempt allowed", ErrorClass::RateLimited, 1, 1, {}, 0, false, 0);
    row("target cooling down", ErrorClass::Upstream5xx, 1, 3, {}, 30000, false, 0);
    row("cooldown already over", ErrorClass::Upstream5xx, 1, 3, {}, -1, true, 100);
    row("cooldown ends now", ErrorClass::Upstream5xx, 1, 3, {}, 0, true, 100);
    row("400 is not retried", ErrorClass::Upstream4xx, 1, 3, {}, 0, false, 0);
    row("bad request is not retried", ErrorClass::BadRequest, 1, 3, {}, 0, false, 0);
    row("client cancelled is not retried", ErrorClass::ClientCancelled, 1, 3, {}, 0, false, 0);
    row("stream interrupted is not retried", ErrorClass::StreamInterrupted, 1, 3, {}, 0, false, 0);
}

void TestRetryDecision::decide()
{
    QFETCH(int, errorClass);
    QFETCH(int, attempts);
    QFETCH(int, maxAttempts);
    QFETCH(QByteArray, retryAfter);
    QFETCH(qint64, cooldownUntilOffsetMs);
    QFETCH(bool, retrySame);
    QFETCH(qint64, delayMs);

    RetryDecision::Failure failure;
    failure.errorClass = ErrorClass(errorClass);
    failure.attemptsOnTarget = attempts;
    failure.retryAfter = retryAfter;
    failure.cooldownUntilMs = cooldownUntilOffsetMs == 0 ? 0 : Now.toMSecsSinceEpoch() + cooldownUntilOffsetMs;
    const RetryDecision d = RetryDecision::decide(RetryPolicy{maxAttempts, 100}, failure, Now, MidJitter);
    QCOMPARE(d.retrySameTarget, retrySame);
    QCOMPARE(d.delayMs, delayMs);
}

void TestRetryDecision::cooldownFromTargetHealth_data()
{
    QTest::addColumn<int>("failuresBefore"); // failures recorded before this one, 1 s apart
    QTest::addColumn<qint64>("laterMs");     // when the decision is taken, after the last failure
    QTest::addColumn<bool>("retrySame");

    // CooldownPolicy{3, 10}: the third failure in a row cools the target down for 10 s.
    QTest::newRow("first failure") << 0 << qint64(0) << true;
    QTest::newRow("second failure") << 1 << qint64(0) << true;
    QTest::newRow("third failure starts the cooldown") << 2 << qint64(0) << false;
    QTest::newRow("still cooling 9.9 s later") << 2 << qint64(9999) << false;
    QTest::newRow("probed again once the cooldown is over") << 2 << qint64(10000) << true;
}

void TestRetryDecision::cooldownFromTargetHealth()
{
    QFETCH(int, failuresBefore);
    QFETCH(qint64, laterMs);
    QFETCH(bool, retrySame);

    TargetHealth health;
    const QString key = TargetHealth::key(QStringLiteral("openai"), QStringLiteral("gpt"));
    const CooldownPolicy cooldown{3, 10};
    qint64 clock = Now.toMSecsSinceEpoch();
    for (int i = 0; i <= failuresBefore; ++i, clock += 1000)
        health.recordFailure(key, clock, cooldown);
    const qint64 failedAt = clock - 1000;

    RetryDecision::Failure failure;
    failure.errorClass = ErrorClass::Upstream5xx;
    failure.attemptsOnTarget = 1;
    failure.cooldownUntilMs = health.state(key).cooldownUntilMs;
    const RetryDecision d = RetryDecision::decide(RetryPolicy{5, 100}, failure,
                                                  QDateTime::fromMSecsSinceEpoch(failedAt + laterMs, Qt::UTC), MidJitter);
    QCOMPARE(d.retrySameTarget, retrySame);
}

void TestRetryDecision::backoffGrowsAndIsCapped_data()
{
    QTest::addColumn<int>("baseMs");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<double>("jitter");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("first, nominal") << 250 << 1 << 0.5 << qint64(250);
    QTest::newRow("second, nominal") << 250 << 2 << 0.5 << qint64(500);
    QTest::newRow("third, nominal") << 250 << 3 << 0.5 << qint64(1000);
    QTest::newRow("lowest jitter") << 250 << 2 << 0.0 << qint64(250);
    QTest::newRow("highest jitter") << 250 << 2 << 0.999 << qint64(749);
    QTest::newRow("zero base") << 0 << 4 << 0.5 << qint64(0);
    QTest::newRow("capped at 30 s") << 1000 << 10 << 0.5 << qint64(30000);
}

void TestRetryDecision::backoffGrowsAndIsCapped()
{
    QFETCH(int, baseMs);
    QFETCH(int, attempt);
    QFETCH(double, jitter);
    QFETCH(qint64, expected);
    QCOMPARE(RetryDecision::backoffMs(baseMs, attempt, jitter), expected);
}

void TestRetryDecision::retryAfterMs_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expected"); // -1: nullopt

    QTest::newRow("seconds") << QByteArray("5") << qint64(5000);
    QTest::newRow("zero seconds") << QByteArray("0") << qint64(0);
    QTest::newRow("fractional seconds") << QByteArray("0.5") << qint64(500);
    QTest::newRow("padded seconds") << QByteArray(" 7 ") << qint64(7000);
    QTest::newRow("many seconds") << QByteArray("120") << qint64(120000);
    QTest::newRow("HTTP-date 10 s ahead") << QByteArray("Sat, 01 Jun 2024 12:00:10 GMT") << qint64(10000);
    QTest::newRow("HTTP-date now") << QByteArray("Sat, 01 Jun 2024 12:00:00 GMT") << qint64(0);
    QTest::newRow("HTTP-date in the past") << QByteArray("Sat, 01 Jun 2024 11:59:00 GMT") << qint64(0);
    QTest::newRow("HTTP-date a day ahead") << QByteArray("Sun, 02 Jun 2024 12:00:00 GMT") << qint64(86400000);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("blank") << QByteArray("  ") << qint64(-1);
    QTest::newRow("negative") << QByteArray("-1") << qint64(-1);
    QTest::newRow("negative fraction") << QByteArray("-0.5") << qint64(-1);
    QTest::newRow("huge seconds") << QByteArray("99999999999999999999") << qint64(1000000000000);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("two decimal points") << QByteArray("1.2.3") << qint64(-1);
    QTest::newRow("exponent") << QByteArray("1e3") << qint64(-1);
    QTest::newRow("plus sign") << QByteArray("+5") << qint64(-1);
    QTest::newRow("number with unit") << QByteArray("5s") << qint64(-1);
    QTest::newRow("not a number") << QByteArray("nan") << qint64(-1);
    QTest::newRow("infinite") << QByteArray("inf") << qint64(-1);
    QTest::newRow("broken date") << QByteArray("Sat, 41 Jun 2024 12:00:10 GMT") << qint64(-1);
}

void TestRetryDecision::retryAfterMs()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expected);

    const std::optional<qint64> ms = RetryDecision::retryAfterMs(value, Now);
    QCOMPARE(ms.value_or(-1), expected);
    QCOMPARE(ms.has_value(), expected >= 0);
}

QTEST_GUILESS_MAIN(TestRetryDecision)
#include "tst_RetryDecision.moc"
