// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogDatabase.h"
#include "core/log/LogQueries.h"
#include "core/log/LogWriter.h"
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Qt::Literals::StringLiterals;

// Translation notes live on the attempts in the request log (schema 2): written and read back
// as they were, and a log of schema 1 (written before notes existed) gains the column in place.
class TestTranslationNotesLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void notesRoundTrip();
    void schemaOneMigratesInPlace();
};

namespace {

CallRecord translatedCall(const QString &id)
{
    CallRecord r;
    r.id = id;
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.endpoint = u"/v1/messages"_s;
    r.provider = u"oai"_s;
    r.model = u"gpt-5"_s;
    r.status = 200;
    r.ok = true;
    Attempt a;
    a.provider = u"oai"_s;
    a.model = u"gpt-5"_s;
    a.status = 200;
    a.translationNotes = {{TranslationNote::Action::Dropped, u"context_management"_s, u"why \"quoted\"\nnext line"_s},
                          {TranslationNote::Action::Mapped, u"output_config.effort"_s, u"→ reasoning_effort \"high\""_s}};
    Attempt plain; // a passthrough attempt has none
    plain.provider = u"claude"_s;
    r.attempts = {a, plain};
    return r;
}

bool write(const QString &path, const QList<CallRecord> &records)
{
    LogConfig config;
    LogWriter writer(path, config);
    if (!writer.open())
        return false;
    writer.append(records);
    writer.flush();
    return true;
}

} // namespace

void TestTranslationNotesLog::notesRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    const CallRecord sent = translatedCall(u"req_notes"_s);
    QVERIFY(write(path, {sent}));
    LogQueries queries(path, u"notes-reader"_s);
    const Result<CallRecord> one = queries.request(sent.id);
    QVERIFY(one);
    QCOMPARE(one.value().attempts.size(), 2);
    QCOMPARE(one.value().attempts.at(0).translationNotes, sent.attempts.at(0).translationNotes);
    QVERIFY(one.value().attempts.at(1).translationNotes.isEmpty());
    const Result<QList<CallRecord>> list = queries.requests({});
    QVERIFY(list);
    QCOMPARE(list.value().constFirst().attempts.at(0).translationNotes, sent.attempts.at(0).translationNotes);
}

void TestTranslationNotesLog::schemaOneMigratesInPlace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    QVERIFY(write(path, {translatedCall(u"req_old"_s)}));
    {
        // Back to schema 1 as the previous release wrote it: attempts without the notes column.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"downgrade"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"ALTER TABLE attempts DROP COLUMN translation_notes"_s));
        // ... and without schema 3's body segments.
        for (const QString &sql : {u"DROP TABLE segments"_s, u"ALTER TABLE attempts DROP COLUMN request_recipe"_s,
                                   u"ALTER TABLE bodies DROP COLUMN request_recipe"_s,
                                   u"ALTER TABLE bodies DROP COLUMN response_recipe"_s, u"ALTER TABLE bodies DROP COLUMN stored"_s})
            QVERIFY2(q.exec(sql), qPrintable(sql));
        // ... and without schema 4's session columns.
        QVERIFY(q.exec(u"DROP INDEX requests_session"_s));
        for (const char *column : {"session_id", "subagent", "cache_verdict", "cache_missed_tokens", "cache_write_tokens",
                                   "cache_write_1h_tokens", "reasoning_tokens"})
            QVERIFY2(q.exec(u"ALTER TABLE requests DROP COLUMN "_s + QLatin1String(column)), column);
        // ... and without schema 5's evaluations and baselines.
        QVERIFY(q.exec(u"ALTER TABLE requests DROP COLUMN evaluation_id"_s));
        for (const char *table : {"evaluation_rollup_hour", "baselines", "baseline_requests", "evaluations"})
            QVERIFY2(q.exec(u"DROP TABLE "_s + QLatin1String(table)), table);
        QVERIFY(q.exec(u"PRAGMA user_version=1"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"downgrade"_s);
    QVERIFY(write(path, {translatedCall(u"req_new"_s)}));
    LogQueries queries(path, u"migrated-reader"_s);
    const Result<CallRecord> old = queries.request(u"req_old"_s);
    QVERIFY(old);
    QCOMPARE(old.value().attempts.size(), 2); // rows of schema 1 are all still there
    QVERIFY(old.value().attempts.at(0).translationNotes.isEmpty());
    const Result<CallRecord> fresh = queries.request(u"req_new"_s);
    QVERIFY(fresh);
    QCOMPARE(fresh.value().attempts.at(0).translationNotes.size(), 2);
}

QTEST_GUILESS_MAIN(TestTranslationNotesLog)
#include "tst_TranslationNotesLog.moc"
