// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindow.h"
#include <QLabel>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTest>

using namespace Switchyard;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsWhereItListens();
    void showsStartFailure();
    void rendersOffscreen();
};

void TestMainWindow::showsWhereItListens()
{
    MainWindow window(QStringLiteral("/home/me/.config/switchyard/config.json"));
    auto *configPath = window.findChild<QLabel *>(QStringLiteral("configPath"));
    QVERIFY(configPath);
    QCOMPARE(configPath->text(), QStringLiteral("/home/me/.config/switchyard/config.json"));
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("gatewayStatus"))->text(), QStringLiteral("Starting…"));

    window.showListening(QStringLiteral("http://127.0.0.1:4141"));
    QCOMPARE(window.listeningText(), QStringLiteral("http://127.0.0.1:4141"));
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("gatewayStatus"))->text(), QStringLiteral("Running"));
    const QString setup = window.findChild<QPlainTextEdit *>(QStringLiteral("clientSetup"))->toPlainText();
    QVERIFY(setup.contains(QLatin1String("export OPENAI_BASE_URL=http://127.0.0.1:4141/v1")));
    QVERIFY(setup.contains(QLatin1String("curl http://127.0.0.1:4141/v1/models")));
}

void TestMainWindow::showsStartFailure()
{
    MainWindow window(QStringLiteral("/tmp/config.json"));
    window.showStartFailure(QStringLiteral("cannot listen on 127.0.0.1:4141: address in use"));
    const QString status = window.findChild<QLabel *>(QStringLiteral("gatewayStatus"))->text();
    QVERIFY(status.contains(QLatin1String("address in use")));
    const QString setup = window.findChild<QPlainTextEdit *>(QStringLiteral("clientSetup"))->toPlainText();
    QVERIFY(setup.contains(QLatin1String("--port")));
    QVERIFY(setup.contains(QLatin1String("/tmp/config.json")));
}

void TestMainWindow::rendersOffscreen()
{
    MainWindow window(QStringLiteral("/tmp/config.json"));
    window.showListening(QStringLiteral("http://127.0.0.1:4141"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
    // Something was drawn: the image is not a single flat colour.
    const QRgb corner = image.pixel(0, 0);
    bool varied = false;
    for (int y = 0; y < image.height() && !varied; y += 7) {
        for (int x = 0; x < image.width() && !varied; x += 7)
            varied = image.pixel(x, y) != corner;
    }
    QVERIFY(varied);
}

QTEST_MAIN(TestMainWindow)
#include "tst_MainWindow.moc"
