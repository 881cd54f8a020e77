// SPDX-License-Identifier: GPL-3.0-or-later
// Every input the fuzzers found a bug with (fuzz/regressions/<target>/), and every seed of
// their corpora (fuzz/corpus/<target>/), through the same checks the fuzz targets run, on
// the normal build. A check that fails aborts the test and names the input first.
#include "fuzz/FuzzChecks.h"
#include <QDir>
#include <QTest>

using namespace Switchyard;

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private:
    static void addRows(const QString &kind)
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        for (const FuzzChecks::Target &target : FuzzChecks::targets()) {
            const QString name = QString::fromLatin1(target.name);
            const QDir dir(QStringLiteral(SWITCHYARD_FUZZ_DIR "/") + kind + u'/' + name);
            for (const QString &file : dir.entryList(QDir::Files, QDir::Name))
                QTest::newRow(qPrintable(name + u'/' + file)) << name << dir.filePath(file);
        }
    }

    static void replay(const QString &targetName, const QString &path)
    {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray input = file.readAll();
        for (const FuzzChecks::Target &target : FuzzChecks::targets()) {
            if (targetName == QLatin1String(target.name)) {
                qInfo("replaying %s (%lld bytes)", qPrintable(path), qlonglong(input.size()));
                target.check(input);
                return;
            }
        }
        QFAIL("no check for this target");
    }

private slots:
    void regressions_data() { addRows(QStringLiteral("regressions")); }
    void regressions()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        replay(target, file);
    }

    void seeds_data() { addRows(QStringLiteral("corpus")); }
    void seeds()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        replay(target, file);
    }

    void everyTargetHasSeeds()
    {
        for (const FuzzChecks::Target &target : FuzzChecks::targets()) {
            const QDir dir(QStringLiteral(SWITCHYARD_FUZZ_DIR "/corpus/") + QLatin1String(target.name));
            QVERIFY2(!dir.entryList(QDir::Files).isEmpty(), target.name);
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_FuzzRegressions.moc"
