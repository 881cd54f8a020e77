// SPDX-License-Identifier: GPL-3.0-or-later
// Runs against a private GNOME Keyring on a private D-Bus session (KEYRING in CMake), so it
// never touches the user's own keychain.
#include "core/secrets/KeychainStore.h"
#include "core/secrets/ProviderKeys.h"
#include "tests/support/AppProcess.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestFiles.h"
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;

class TestProviderKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storesReadsAndRemoves();
    void missingEntryIsAClearFailure();
    void resolvesEverySource();
    void keepsAKnownKeyWhileRereading();
    void dropsAnEntryTheConfigNoLongerNames();
    void proxySendsTheKeychainKeyAndNeverLogsIt();
    void commandLineStoresAndDeletesKeys();
};

namespace {

const QByteArray PlantedKey = "sk-keychain-planted-5f0c2a9e71d4";

// Stores a key and waits for the keychain's answer.
bool store(const QString &entry, const QByteArray &key)
{
    KeychainStore store;
    QSignalSpy written(&store, &KeychainStore::keyWritten);
    QSignalSpy failed(&store, &KeychainStore::failed);
    store.write(entry, key);
    if (!written.wait(10000) && written.isEmpty()) {
        qWarning() << "keychain write failed:" << failed;
        return false;
    }
    return true;
}

ProviderConfig keychainProvider(const QString &name, const QString &entry, quint16 port = 9)
{
    ProviderConfig p = TestConfigs::provider(name, port);
    p.apiKeyEnv.clear();
    p.apiKey.clear();
    p.apiKeyKeychain = entry;
    return p;
}

} // namespace

void TestProviderKeys::storesReadsAndRemoves()
{
    QVERIFY(store(QStringLiteral("roundtrip"), PlantedKey));
    KeychainStore keychain;
    QSignalSpy read(&keychain, &KeychainStore::keyRead);
    keychain.read(QStringLiteral("roundtrip"));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.at(0).at(0).toString(), QStringLiteral("roundtrip"));
    QCOMPARE(read.at(0).at(1).toByteArray(), PlantedKey);

    QSignalSpy removed(&keychain, &KeychainStore::keyRemoved);
    keychain.remove(QStringLiteral("roundtrip"));
    QVERIFY(removed.wait(10000));
    QSignalSpy failed(&keychain, &KeychainStore::failed);
    keychain.read(QStringLiteral("roundtrip"));
    QVERIFY(failed.wait(10000));
}

void TestProviderKeys::missingEntryIsAClearFailure()
{
    ProviderKeys keys;
    QSignalSpy failed(&keys, &ProviderKeys::keychainFailed);
    keys.apply({keychainProvider(QStringLiteral("openai"), QStringLiteral("never-stored"))});
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("openai"));
    const QString message = failed.at(0).at(1).toString();
    QVERIFY2(message.contains(QLatin1String("never-stored")) && message.contains(QLatin1String("keychain")), qPrintable(message));
    QCOMPARE(keys.problem(QStringLiteral("openai")), message);
    QVERIFY(!keys.keys().contains(QStringLiteral("openai")));
}

void TestProviderKeys::resolvesEverySource()
{
    QVERIFY(store(QStringLiteral("anthropic-main"), "sk-ant-from-keychain"));
    qputenv("SWITCHYARD_TEST_OPENAI_KEY", "sk-from-env");
    ProviderConfig fromEnv = TestConfigs::provider(QStringLiteral("openai"), 9);
    fromEnv.apiKeyEnv = QStringLiteral("SWITCHYARD_TEST_OPENAI_KEY");
    ProviderConfig unsetEnv = TestConfigs::provider(QStringLiteral("groq"), 9);
    unsetEnv.apiKeyEnv = QStringLiteral("SWITCHYARD_TEST_UNSET_KEY");
    ProviderConfig inClear = TestConfigs::provider(QStringLiteral("local"), 9, QStringLiteral("sk-in-clear"));
    ProviderConfig keyless = TestConfigs::provider(QStringLiteral("ollama"), 9);
    keyless.apiKeyEnv.clear();

    ProviderKeys keys;
    QSignalSpy changed(&keys, &ProviderKeys::keysChanged);
    keys.apply({fromEnv, unsetEnv, inClear, keyless, keychainProvider(QStringLiteral("anthropic"), QStringLiteral("anthropic-main"))});
    QCOMPARE(changed.count(), 1); // the synchronous sources at once
    QCOMPARE(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-from-env"));
    QCOMPARE(keys.keys().value(QStringLiteral("local")), QByteArray("sk-in-clear"));
    QVERIFY(!keys.keys().contains(QStringLiteral("ollama")));
    QVERIFY(!keys.keys().contains(QStringLiteral("groq")));
    QVERIFY(keys.problem(QStringLiteral("groq")).contains(QLatin1String("SWITCHYARD_TEST_UNSET_KEY")));
    QVERIFY(!keys.keys().contains(QStringLiteral("anthropic"))); // not yet: the keychain answers later
    QVERIFY(changed.wait(10000));
    QCOMPARE(keys.keys().value(QStringLiteral("anthropic")), QByteArray("sk-ant-from-keychain"));
    QVERIFY(keys.problem(QStringLiteral("anthropic")).isEmpty());
    qunsetenv("SWITCHYARD_TEST_OPENAI_KEY");
}

void TestProviderKeys::keepsAKnownKeyWhileRereading()
{
    QVERIFY(store(QStringLiteral("rotating"), "sk-old"));
    ProviderKeys keys;
    QSignalSpy changed(&keys, &ProviderKeys::keysChanged);
    const QList<ProviderConfig> providers{keychainProvider(QStringLiteral("openai"), QStringLiteral("rotating"))};
    keys.apply(providers);
    QTRY_COMPARE_WITH_TIMEOUT(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-old"), 10000);

    // A live reload keeps the key in use (no request goes out without it) and reads it again.
    QVERIFY(store(QStringLiteral("rotating"), "sk-new"));
    keys.apply(providers);
    QCOMPARE(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-old"));
    QTRY_COMPARE_WITH_TIMEOUT(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-new"), 10000);

    // The window stores a new key and asks for a re-read without a config change.
    QVERIFY(store(QStringLiteral("rotating"), "sk-newer"));
    keys.reloadKeychain();
    QTRY_COMPARE_WITH_TIMEOUT(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-newer"), 10000);
}

void TestProviderKeys::dropsAnEntryTheConfigNoLongerNames()
{
    QVERIFY(store(QStringLiteral("first"), "sk-first"));
    QVERIFY(store(QStringLiteral("second"), "sk-second"));
    ProviderKeys keys;
    keys.apply({keychainProvider(QStringLiteral("openai"), QStringLiteral("first"))});
    keys.apply({keychainProvider(QStringLiteral("openai"), QStringLiteral("second"))}); // before "first" answered
    QCOMPARE(keys.keys().value(QStringLiteral("openai")), QByteArray()); // another entry: the old key is not kept
    QTRY_COMPARE_WITH_TIMEOUT(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-second"), 10000);
    QTest::qWait(200); // a late answer for "first" must not win
    QCOMPARE(keys.keys().value(QStringLiteral("openai")), QByteArray("sk-second"));
}

void TestProviderKeys::proxySendsTheKeychainKeyAndNeverLogsIt()
{
    QVERIFY(store(QStringLiteral("fake-provider"), PlantedKey));
    FakeProvider upstream;
    Config config = TestConfigs::base();
    config.providers = {keychainProvider(QStringLiteral("fake"), QStringLiteral("fake-provider"), upstream.port())};
    config.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                         {TestConfigs::target(QStringLiteral("fake"), QStringLiteral("gpt-4o-mini"))})};
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("log.db"));
    EngineThread engine(config, db);

    // The key arrives a moment after the config; send once the upstream sees it.
    const QByteArray body = R"({"model":"general","messages":[{"role":"user","content":"hi"}]})";
    QByteArray authorization;
    QDeadlineTimer deadline(10000);
    int sent = 0;
    while (!deadline.hasExpired() && authorization != "Bearer " + PlantedKey) {
        const RawHttpClient::Response response = RawHttpClient::fetch(engine.port(), "POST", "/v1/chat/completions", body,
                                                                      {{"Content-Type", "application/json"}});
        QCOMPARE(response.status, 200);
        ++sent;
        QVERIFY(upstream.waitForRequests(sent));
        authorization = upstream.requests().constLast().headers.value("authorization");
        if (authorization != "Bearer " + PlantedKey)
            QTest::qWait(50);
    }
    QCOMPARE(authorization, "Bearer " + PlantedKey);
    QVERIFY(engine.waitForWritten(sent));

    // The key the masker learnt from the keychain is nowhere in the log or the admin API.
    for (const char *path : {"/api/requests?limit=50", "/api/stats", "/api/config", "/metrics"}) {
        const RawHttpClient::Response response = RawHttpClient::fetch(engine.port(), "GET", path);
        QVERIFY2(!response.body.contains(PlantedKey), path);
    }
    QDirIterator files(dir.path(), QDir::Files);
    while (files.hasNext()) {
        const QString file = files.next();
        QVERIFY2(!readAll(file).contains(PlantedKey), qPrintable(file));
    }
}

void TestProviderKeys::commandLineStoresAndDeletesKeys()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
    QTemporaryDir home;
    QVERIFY(home.isValid());
    AppProcess set(home.path(), 15000);
    QVERIFY(set.start({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("from-cli")}));
    set.process().write(PlantedKey + "\n"); // standard input, never argv
    set.process().closeWriteChannel();
    QVERIFY(set.finish());
    QCOMPARE(set.process().exitCode(), 0);
    const QByteArray said = set.standardOutput() + set.standardError();
    QVERIFY2(said.contains("\"api_key_keychain\": \"from-cli\""), said.constData());
    QVERIFY(!said.contains(PlantedKey));

    KeychainStore keychain;
    QSignalSpy read(&keychain, &KeychainStore::keyRead);
    keychain.read(QStringLiteral("from-cli"));
    QVERIFY(read.wait(10000));
    QCOMPARE(read.at(0).at(1).toByteArray(), PlantedKey);

    AppProcess empty(home.path(), 15000);
    QVERIFY(empty.start({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("from-cli")}));
    empty.process().closeWriteChannel();
    QVERIFY(empty.finish());
    QCOMPARE(empty.process().exitCode(), 2);
    QVERIFY(empty.standardError().contains("no key on standard input"));

    AppProcess remove(home.path(), 15000);
    QVERIFY(remove.run({QStringLiteral("key"), QStringLiteral("delete"), QStringLiteral("from-cli")}));
    QCOMPARE(remove.process().exitCode(), 0);
    QSignalSpy failed(&keychain, &KeychainStore::failed);
    keychain.read(QStringLiteral("from-cli"));
    QVERIFY(failed.wait(10000));
}

QTEST_GUILESS_MAIN(TestProviderKeys)
#include "tst_ProviderKeys.moc"
