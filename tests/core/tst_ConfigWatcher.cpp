// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigFile.h"
#include "core/config/ConfigWatcher.h"
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;

class TestConfigWatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void editedFileIsApplied();
    void atomicReplaceIsApplied();
    void brokenFileIsRejected();
    void unchangedContentIsIgnored();

private:
    QByteArray withPort(int port) const;
    QTemporaryDir m_dir;
    QString m_path;
};

QByteArray TestConfigWatcher::withPort(int port) const
{
    return QByteArray(ConfigFile::defaultJson()).replace("\"port\": 4141", QByteArray("\"port\": " + QByteArray::number(port)));
}

void TestConfigWatcher::init()
{
    m_path = m_dir.filePath(QStringLiteral("config-%1.json").arg(QLatin1String(QTest::currentTestFunction())));
    QVERIFY(ConfigFile::save(m_path, ConfigFile::defaultJson()));
}

void TestConfigWatcher::editedFileIsApplied()
{
    ConfigWatcher watcher(m_path);
    QSignalSpy changed(&watcher, &ConfigWatcher::configChanged);
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(withPort(5000));
    file.close();
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.constFirst().constFirst().value<Config>().listen.port, 5000);
}

void TestConfigWatcher::atomicReplaceIsApplied()
{
    ConfigWatcher watcher(m_path);
    QSignalSpy changed(&watcher, &ConfigWatcher::configChanged);
    QVERIFY(ConfigFile::save(m_path, withPort(5001))); // a new inode, as editors write it
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.constLast().constFirst().value<Config>().listen.port, 5001);
    // The replaced file is still watched.
    QVERIFY(ConfigFile::save(m_path, withPort(5002)));
    QTRY_COMPARE_WITH_TIMEOUT(changed.constLast().constFirst().value<Config>().listen.port, 5002, 5000);
}

void TestConfigWatcher::brokenFileIsRejected()
{
    ConfigWatcher watcher(m_path);
    QSignalSpy changed(&watcher, &ConfigWatcher::configChanged);
    QSignalSpy rejected(&watcher, &ConfigWatcher::configRejected);
    QVERIFY(ConfigFile::save(m_path, QByteArray(ConfigFile::defaultJson()).replace("\"fallback\"", "\"fastest\"")));
    QVERIFY(rejected.wait(5000));
    const QStringList messages = rejected.constFirst().constFirst().toStringList();
    QVERIFY(!messages.isEmpty());
    QVERIFY2(messages.constFirst().startsWith(m_path + QStringLiteral(": aliases[0].strategy: unknown strategy \"fastest\"")),
             qPrintable(messages.constFirst()));
    QCOMPARE(changed.count(), 0);
}

void TestConfigWatcher::unchangedContentIsIgnored()
{
    ConfigWatcher watcher(m_path);
    QSignalSpy changed(&watcher, &ConfigWatcher::configChanged);
    QVERIFY(ConfigFile::save(m_path, ConfigFile::defaultJson())); // same bytes, new file
    QTest::qWait(ConfigWatcher::SettleMs * 3);
    QCOMPARE(changed.count(), 0);
}

QTEST_GUILESS_MAIN(TestConfigWatcher)
#include "tst_ConfigWatcher.moc"
