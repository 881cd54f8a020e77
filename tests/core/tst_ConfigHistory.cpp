// SPDX-License-Identifier: GPL-3.0-or-later
// Every config that takes effect is kept as a version: from the start, the config file, the
// window and the admin API (with who called it); listed with diffs and restored through the
// admin API exactly as it was in force, keys kept and never written to the history in clear.
// The real engine on its thread with a real log, config file and history file.
#include "core/config/ConfigHistory.h"
#include "core/config/ConfigWriter.h"
#include "core/proxy/ProxyEngine.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestFiles.h"
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::Literals::StringLiterals;

namespace {

const QString SecretKey = u"sk-history-secret-0123456789abcdef"_s;
const QString SecretToken = u"listen-token-never-in-history"_s;

Config withKeys(quint16 port)
{
    Config c = TestConfigs::oneUpstream(port);
    c.providers[0].apiKey = SecretKey;
    c.listen.token = SecretToken;
    return c;
}

Config withAlias(Config c, const QString &name)
{
    c.aliases << TestConfigs::alias(name, Strategy::Fallback, {TestConfigs::target(u"a"_s, u"model-b"_s)});
    return c;
}

const QList<std::pair<QByteArray, QByteArray>> Auth{{"Authorization", QByteArray("Bearer " + SecretToken.toUtf8())}};

RawHttpClient::Response call(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
{
    QList<std::pair<QByteArray, QByteArray>> headers = Auth;
    if (!body.isEmpty())
        headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    return RawHttpClient::fetch(port, method, path, body, headers);
}

} // namespace

class TestConfigHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsChangesOnceAndWithoutKeys();
    void survivesARestartAndATornLine();
    void keepsTheNewestVersionsOnly();
    void everySourceOfChangeIsRecorded();
    void restoresWhatWasInForce();
    void badRequestsAreRefused_data();
    void badRequestsAreRefused();
};

void TestConfigHistory::keepsChangesOnceAndWithoutKeys()
{
    QTemporaryDir dir;
    ConfigHistory history(dir.filePath(u"h.jsonl"_s));
    const Config first = withKeys(1000);
    QCOMPARE(history.record(first, u"start"_s).value(), 1);
    QCOMPARE(history.record(first, u"file"_s).value(), 1); // the same config again: no version
    QCOMPARE(history.record(withAlias(first, u"second"_s), u"window"_s).value(), 2);
    QCOMPARE(history.versions().size(), 2);
    QCOMPARE(history.versions().at(1).source, u"window"_s);
    const QByteArray file = Test::readAll(dir.filePath(u"h.jsonl"_s));
    QVERIFY(!file.contains(SecretKey.toUtf8()));
    QVERIFY(!file.contains(SecretToken.toUtf8()));
    QVERIFY(!file.contains(SecretKey.right(12).toUtf8()));
    QCOMPARE(Test::fileMode(dir.filePath(u"h.jsonl"_s)) & mode_t(0077), mode_t(0)); // only the owner reads it
}

void TestConfigHistory::survivesARestartAndATornLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"h.jsonl"_s);
    {
        ConfigHistory history(path);
        QVERIFY(history.record(withKeys(1000), u"start"_s));
        QVERIFY(history.record(withAlias(withKeys(1000), u"x"_s), u"file"_s));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write(R"({"n":3,"at":17600000000)"); // a crash mid-line
    file.close();
    ConfigHistory again(path);
    QCOMPARE(again.versions().size(), 2);
    QCOMPARE(again.versions().at(1).source, u"file"_s);
    QCOMPARE(again.record(withKeys(1000), u"window"_s).value(), 3);
}

void TestConfigHistory::keepsTheNewestVersionsOnly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"h.jsonl"_s);
    ConfigHistory history(path);
    for (int i = 0; i < ConfigHistory::MaxVersions + 5; ++i)
        QVERIFY(history.record(withAlias(withKeys(1000), u"a%1"_s.arg(i)), u"file"_s));
    QCOMPARE(history.versions().size(), ConfigHistory::MaxVersions);
    QCOMPARE(history.versions().constFirst().number, 6);
    QCOMPARE(ConfigHistory(path).versions().size(), ConfigHistory::MaxVersions);
}

void TestConfigHistory::everySourceOfChangeIsRecorded()
{
    FakeProvider up;
    QTemporaryDir dir;
    const QString configPath = dir.filePath(u"config.json"_s);
    EngineThread engine(withKeys(up.port()), dir.filePath(u"requests.db"_s), configPath);
    // The admin API, with who called it: this very process, found through /proc.
    Config viaApi = withAlias(withKeys(up.port()), u"from-api"_s);
    QCOMPARE(call(engine.port(), "PUT", "/api/config", ConfigWriter::toBytes(viaApi, ConfigWriter::Keys::Masked)).status, 200);
    // The window's Apply.
    QVERIFY(QMetaObject::invokeMethod(engine.engine(), "saveConfig", Qt::BlockingQueuedConnection,
                                      Q_ARG(Switchyard::Config, withAlias(viaApi, u"from-window"_s)), Q_ARG(quint64, 7)));
    // A reload of the edited file, as AppWiring applies it.
    engine.applyConfig(withAlias(withAlias(viaApi, u"from-window"_s), u"from-file"_s));

    const QJsonObject list = call(engine.port(), "GET", "/api/config/history").json();
    const QJsonArray versions = list.value(u"versions"_s).toArray();
    QCOMPARE(versions.size(), 4);
    QStringList sources;
    for (const QJsonValue &v : versions)
        sources << v.toObject().value(u"source"_s).toString();
    QCOMPARE(sources, (QStringList{u"file"_s, u"window"_s, u"admin API"_s, u"start"_s})); // newest first
    const QString client = versions.at(2).toObject().value(u"client"_s).toString();
    QVERIFY2(client.contains(u"(pid %1)"_s.arg(QCoreApplication::applicationPid())), qPrintable(client));
    QCOMPARE(versions.at(0).toObject().value(u"version"_s).toInt(), 4);

    // One version: the config as it was, keys masked, and what changed from the one before.
    const QJsonObject second = call(engine.port(), "GET", "/api/config/history/2").json();
    QCOMPARE(second.value(u"source"_s).toString(), u"admin API"_s);
    QStringList added;
    for (const QJsonValue &l : second.value(u"diff"_s).toArray())
        if (l.toObject().value(u"op"_s) == u"added"_s)
            added << l.toObject().value(u"line"_s).toString();
    QVERIFY2(added.join(u'\n').contains(u"from-api"_s), qPrintable(added.join(u'\n')));
    QCOMPARE(second.value(u"lines_added"_s).toInt(), int(added.size()));
    const QJsonObject provider = second.value(u"config"_s).toObject().value(u"providers"_s).toArray().at(0).toObject();
    QCOMPARE(provider.value(u"api_key"_s).toString(), u"***"_s);
    const QByteArray historyFile = Test::readAll(dir.filePath(u"config-history.jsonl"_s));
    QVERIFY(historyFile.contains("from-file"));
    QVERIFY(!historyFile.contains(SecretKey.toUtf8()));
}

void TestConfigHistory::restoresWhatWasInForce()
{
    FakeProvider up;
    QTemporaryDir dir;
    const QString configPath = dir.filePath(u"config.json"_s);
    EngineThread engine(withKeys(up.port()), dir.filePath(u"requests.db"_s), configPath);
    const QByteArray atStart = call(engine.port(), "GET", "/api/config").body;
    QCOMPARE(call(engine.port(), "PUT", "/api/config",
                  ConfigWriter::toBytes(withAlias(withKeys(up.port()), u"later"_s), ConfigWriter::Keys::Masked)).status, 200);
    QVERIFY(call(engine.port(), "GET", "/api/config").body != atStart);

    const RawHttpClient::Response restored = call(engine.port(), "POST", "/api/config/history/1/restore");
    QCOMPARE(restored.status, 200);
    QCOMPARE(restored.json().value(u"version"_s).toInt(), 3);
    QCOMPARE(restored.json().value(u"restored"_s).toInt(), 1);
    // In force again, exactly; the file holds it with the key in force, in clear as before.
    QCOMPARE(call(engine.port(), "GET", "/api/config").body, atStart);
    // (with the file's own listen address, which the PUT wrote)
    QCOMPARE(Test::readAll(configPath), ConfigWriter::toBytes(withKeys(up.port()), ConfigWriter::Keys::Clear));
    const QJsonObject last = call(engine.port(), "GET", "/api/config/history/3").json();
    QCOMPARE(last.value(u"source"_s).toString(), u"restore of version 1"_s);
    QCOMPARE(last.value(u"config"_s).toObject(), call(engine.port(), "GET", "/api/config/history/1").json().value(u"config"_s).toObject());
    // The proxy serves with the restored routes: "later" is gone again.
    QCOMPARE(RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions",
                                  R"({"model":"later","messages":[{"role":"user","content":"Hi"}]})",
                                  {{"Content-Type", "application/json"}, Auth.at(0)}).status, 404);
}

void TestConfigHistory::badRequestsAreRefused_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("no such version") << QByteArray("GET") << QByteArray("/api/config/history/99") << 404;
    QTest::newRow("not a number") << QByteArray("GET") << QByteArray("/api/config/history/latest") << 404;
    QTest::newRow("restore no such version") << QByteArray("POST") << QByteArray("/api/config/history/99/restore") << 404;
    QTest::newRow("GET a restore") << QByteArray("GET") << QByteArray("/api/config/history/1/restore") << 405;
    QTest::newRow("DELETE the history") << QByteArray("DELETE") << QByteArray("/api/config/history") << 405;
}

void TestConfigHistory::badRequestsAreRefused()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    FakeProvider up;
    EngineThread engine(withKeys(up.port()));
    QCOMPARE(call(engine.port(), method, path).status, status);
    QCOMPARE(call(engine.port(), "GET", "/api/config/history").json().value(u"total"_s).toInt(), 1); // nothing changed
}

QTEST_GUILESS_MAIN(TestConfigHistory)
#include "tst_ConfigHistory.moc"
