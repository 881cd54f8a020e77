// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigParser.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "core/log/LogStats.h"
#include "ui/Appearance.h"
#include "ui/ConnectDialog.h"
#include "ui/SemanticColours.h"
#include "ui/SettingsDialog.h"
#include "ui/EngineLink.h"
#include "ui/MainWindow.h"
#include <QApplication>
#include <QComboBox>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace Switchyard;

namespace {
double contrast(const QColor &a, const QColor &b);
}

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void hasTheFourViews();
    void statusBarShowsActivity();
    void showsStartFailure();
    void closeWithATrayIconHidesAfterAskingOnce();
    void unpricedSpendIsNeverZero();
    void connectDialogShowsSetup();
    void themesKeepColoursReadable_data();
    void themesKeepColoursReadable();
    void settingsChooseTheTheme();
    void settingsHideAPostgresPassword();
    void themeSwitchRepaintsEverything();
    void screenshot();
    void screenshotDark();
    void screenshotSizes_data();
    void screenshotSizes();

private:
    // The main window on the Traces page with the synthetic log, grabbed (and saved under
    // SWITCHYARD_SCREENSHOT_DIR); a null image when it could not be shown or saved.
    QImage renderMainWindow(const QString &fileName, QSize size = QSize(1280, 800), int page = 1);

    QTemporaryDir m_dir;
    QString m_db;
};

void TestMainWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("switchyard-test"));
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    m_db = m_dir.filePath(QStringLiteral("log.db"));
    LogWriter writer(m_db, LogConfig());
    QVERIFY(writer.open());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    writer.append(Test::SyntheticCalls().generate(300, now - 6 * 3600 * 1000, now - 1000));
    writer.flush();
}

void TestMainWindow::hasTheFourViews()
{
    LogReader reader(m_db);
    EngineLink link(&reader);
    MainWindow window(&link, QStringLiteral("/tmp/config.json"), m_db);
    auto *tabs = window.findChild<QTabWidget *>();
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 5);
    QCOMPARE(tabs->tabText(0), QStringLiteral("&Routes"));
    QCOMPARE(tabs->tabText(1), QStringLiteral("&Traces"));
    QCOMPARE(tabs->tabText(2), QStringLiteral("&Costs"));
    QCOMPARE(tabs->tabText(3), QStringLiteral("&Failures"));
    QCOMPARE(tabs->tabText(4), QStringLiteral("&Sessions"));
    // SVG icons: sharp at any scale, so a 2x screen gets a 2x pixmap with something drawn in it.
    for (const QIcon &icon : {tabs->tabIcon(0), tabs->tabIcon(1), tabs->tabIcon(2), tabs->tabIcon(3), tabs->tabIcon(4), window.windowIcon()}) {
        QVERIFY(!icon.isNull());
        const QImage image = icon.pixmap(QSize(16, 16), 2.0).toImage();
        QCOMPARE(image.size(), QSize(32, 32));
        int drawn = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                drawn += qAlpha(image.pixel(x, y)) > 128;
        }
        QVERIFY2(drawn > 40, qPrintable(QString::number(drawn)));
    }
    window.showPage(MainWindow::FailuresPage);
    QCOMPARE(tabs->currentIndex(), 3);
}

void TestMainWindow::statusBarShowsActivity()
{
    LogReader reader(m_db);
    EngineLink link(&reader);
    MainWindow window(&link, QStringLiteral("/tmp/config.json"), m_db);
    link.onStarted(QStringLiteral("http://127.0.0.1:4141"));
    QCOMPARE(window.listeningText(), QStringLiteral("http://127.0.0.1:4141"));
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("statusAddress"))->text(), QStringLiteral("Listening on http://127.0.0.1:4141"));

    CallRecord failed = Test::SyntheticCalls(7).one(QDateTime::currentMSecsSinceEpoch(), true);
    CallRecord ok = Test::SyntheticCalls(8).one(QDateTime::currentMSecsSinceEpoch(), false);
    link.onCallsFinished({failed, ok});
    QTRY_COMPARE_WITH_TIMEOUT(window.findChild<QLabel *>(QStringLiteral("statusErrors"))->text(),
                              QStringLiteral("1 error(s) in the last minute"), 3000);
    QVERIFY(window.findChild<QLabel *>(QStringLiteral("statusRate"))->text().endsWith(QLatin1String("req/s")));
    // Today's spend comes from the log (loaded in the background), then grows with live calls.
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QLabel *>(QStringLiteral("statusSpend"))->text().startsWith(QLatin1String("Today $")), 3000);

    // A shared PostgreSQL log away: said within a second, and gone when it is back.
    LogStats &stats = LogStats::instance();
    stats.storeReachable = false;
    stats.queuedRows = 12;
    auto *errors = window.findChild<QLabel *>(QStringLiteral("statusErrors"));
    QTRY_VERIFY_WITH_TIMEOUT(errors->text().endsWith(QStringLiteral(" · request log unreachable: 12 call(s) waiting")), 3000);
    QVERIFY(errors->styleSheet().contains(QLatin1String("font-weight: bold")));
    stats.storeReachable = true;
    stats.queuedRows = 0;
    QTRY_COMPARE_WITH_TIMEOUT(errors->text(), QStringLiteral("1 error(s) in the last minute"), 3000);
}

// Issue 16, problem 10: calls without a known price are "unpriced", never "$0.0000".
void TestMainWindow::unpricedSpendIsNeverZero()
{
    QTemporaryDir fresh;
    const QString db = fresh.filePath(QStringLiteral("log.db"));
    LogWriter writer(db, LogConfig());
    QVERIFY(writer.open());
    LogReader reader(db);
    EngineLink link(&reader);
    MainWindow window(&link, QStringLiteral("/tmp/config.json"), db);
    auto *spend = window.findChild<QLabel *>(QStringLiteral("statusSpend"));
    QTest::qWait(500); // today's spend is read from the log first; live calls count from then on
    QTRY_COMPARE_WITH_TIMEOUT(spend->text(), QStringLiteral("Today $0.0000"), 3000); // nothing yet: nothing spent
    CallRecord unpriced = Test::SyntheticCalls(21).one(QDateTime::currentMSecsSinceEpoch(), false);
    unpriced.costUsd.reset();
    link.onCallsFinished({unpriced, unpriced});
    QTRY_COMPARE_WITH_TIMEOUT(spend->text(), QStringLiteral("Today 2 unpriced"), 3000);
    CallRecord priced = Test::SyntheticCalls(22).one(QDateTime::currentMSecsSinceEpoch(), false);
    priced.costUsd = 0.0125;
    link.onCallsFinished({priced});
    QTRY_COMPARE_WITH_TIMEOUT(spend->text(), QStringLiteral("Today $0.0125 + 2 unpriced"), 3000);
}

// Issue 16, problem 13: with a tray icon, the close button keeps the gateway running
// (asked once, then remembered); File → Quit still quits.
void TestMainWindow::closeWithATrayIconHidesAfterAskingOnce()
{
    QSettings().remove(MainWindow::closeActionKey());
    LogReader reader(m_db);
    EngineLink link(&reader);
    MainWindow window(&link, QStringLiteral("/tmp/config.json"), m_db);
    window.setTrayShown(true);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    bool asked = false;
    QTimer::singleShot(100, &window, [&asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        asked = true;
        box->findChild<QPushButton *>(QStringLiteral("keepRunning"))->click();
    });
    window.close();
    QVERIFY(asked);
    QVERIFY(!window.isVisible()); // hidden, not closed: the gateway keeps serving
    QCOMPARE(QSettings().value(MainWindow::closeActionKey()).toInt(), int(MainWindow::CloseAction::HideToTray));

    // The second time nothing is asked.
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    asked = false;
    QTimer::singleShot(100, &window, [&asked] { asked = QApplication::activeModalWidget() != nullptr; });
    window.close();
    QTest::qWait(200);
    QVERIFY(!asked);
    QVERIFY(!window.isVisible());
    QSettings().remove(MainWindow::closeActionKey());
}

// Issue 16, problem 11: a live theme switch leaves no colour of the previous theme behind.
void TestMainWindow::themeSwitchRepaintsEverything()
{
    Appearance::apply(Appearance::Theme::Light);
    LogReader reader(m_db);
    EngineLink link(&reader);
    MainWindow window(&link, QStringLiteral("/tmp/config.json"), m_db);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::CostsPage);
    Appearance::apply(Appearance::Theme::Dark);
    QCoreApplication::processEvents();
    const QPalette dark = QApplication::palette();
    auto *caption = window.findChild<QLabel *>(QStringLiteral("caption_latency"));
    QVERIFY(caption);
    QTRY_COMPARE(caption->palette().color(QPalette::WindowText), dark.color(QPalette::PlaceholderText));
    QVERIFY(contrast(caption->palette().color(QPalette::WindowText), dark.color(QPalette::Window)) >= 3.0);
    // Widgets with a style sheet were polished again: their base follows the dark palette.
    for (QWidget *w : window.findChildren<QWidget *>()) {
        if (!w->styleSheet().isEmpty() && w->isVisible())
            QCOMPARE(w->palette().color(QPalette::Window), dark.color(QPalette::Window));
    }
    Appearance::apply(Appearance::Theme::Light);
}

void TestMainWindow::showsStartFailure()
{
    LogReader reader(m_db);
    EngineLink link(&reader);
    MainWindow window(&link, QStringLiteral("/tmp/config.json"), m_db);
    window.showStartFailure(QStringLiteral("cannot listen on 127.0.0.1:4141: address in use"));
    auto *banner = window.findChild<QLabel *>(QStringLiteral("startFailure"));
    QVERIFY(banner->text().contains(QLatin1String("address in use")));
    QVERIFY(!banner->isHidden());
    QCOMPARE(window.findChild<QLabel *>(QStringLiteral("statusAddress"))->text(), QStringLiteral("Not listening"));
}

void TestMainWindow::connectDialogShowsSetup()
{
    ConnectDialog dialog(QStringLiteral("/home/me/.config/switchyard/config.json"));
    QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("configPath"))->text(), QStringLiteral("/home/me/.config/switchyard/config.json"));
    dialog.setUrl(QStringLiteral("http://127.0.0.1:4141"));
    QVERIFY(dialog.setupText().contains(QLatin1String("export OPENAI_BASE_URL=http://127.0.0.1:4141/v1")));
    QVERIFY(dialog.setupText().contains(QLatin1String("curl http://127.0.0.1:4141/v1/models")));
    // Issue 16, problem 5: the Anthropic SDKs, Claude Code and Codex, as the README leads with them.
    QVERIFY(dialog.setupText().contains(QLatin1String("export ANTHROPIC_BASE_URL=http://127.0.0.1:4141\n")));
    QVERIFY(dialog.setupText().contains(QLatin1String("ANTHROPIC_AUTH_TOKEN=unused")));
    QVERIFY(dialog.setupText().contains(QLatin1String("claude\n")));
    QVERIFY(dialog.setupText().contains(QLatin1String("~/.codex/config.toml")));
    QVERIFY(dialog.setupText().contains(QLatin1String("base_url = \"http://127.0.0.1:4141/v1\"")));
    QVERIFY(dialog.setupText().contains(QLatin1String("wire_api = \"responses\"")));
}

namespace {

// WCAG 2 contrast ratio of two opaque colours, 1 to 21.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

void TestMainWindow::themesKeepColoursReadable_data()
{
    QTest::addColumn<int>("theme");
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << int(Appearance::Theme::Light) << false;
    QTest::newRow("dark") << int(Appearance::Theme::Dark) << true;
}

void TestMainWindow::themesKeepColoursReadable()
{
    QFETCH(int, theme);
    QFETCH(bool, dark);
    Appearance::apply(Appearance::Theme(theme));
    const QPalette palette = QApplication::palette();
    QCOMPARE(SemanticColours::darkPalette(), dark);
    QVERIFY(contrast(palette.color(QPalette::Text), palette.color(QPalette::Base)) >= 7.0);
    QVERIFY(contrast(palette.color(QPalette::WindowText), palette.color(QPalette::Window)) >= 7.0);
    QVERIFY(contrast(palette.color(QPalette::PlaceholderText), palette.color(QPalette::Base)) >= 4.5);
    QVERIFY(contrast(palette.color(QPalette::HighlightedText), palette.color(QPalette::Highlight)) >= 3.0); // as Fusion's own
    using SemanticColours::Tone;
    for (Tone tone : {Tone::Ok, Tone::Error, Tone::Warning, Tone::Muted, Tone::Info, Tone::Special}) {
        const QColor colour = SemanticColours::colour(tone);
        for (QPalette::ColorRole background : {QPalette::Base, QPalette::AlternateBase, QPalette::Window}) {
            const double ratio = contrast(colour, palette.color(background));
            QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("tone %1 on role %2: %3:1").arg(int(tone)).arg(int(background)).arg(ratio)));
        }
    }
    Appearance::apply(Appearance::Theme::System);
}

void TestMainWindow::settingsChooseTheTheme()
{
    Config config;
    SettingsDialog dialog(config, m_db);
    auto *theme = dialog.findChild<QComboBox *>(QStringLiteral("theme"));
    QVERIFY(theme);
    QCOMPARE(theme->count(), 3);
    theme->setCurrentIndex(theme->findData(int(Appearance::Theme::Dark)));
    QCOMPARE(dialog.theme(), Appearance::Theme::Dark);
    QVERIFY(!dialog.needsRestart()); // a theme applies at once
    QCOMPARE(Appearance::fromName(QStringLiteral("DARK")), Appearance::Theme::Dark);
    QCOMPARE(Appearance::fromName(QStringLiteral("purple"), Appearance::Theme::Light), Appearance::Theme::Light);
    QCOMPARE(Appearance::name(Appearance::Theme::Light), QStringLiteral("light"));
}

void TestMainWindow::settingsHideAPostgresPassword()
{
    const QString url = QStringLiteral("postgresql://team:s3cret@db.internal:5432/switchyard");
    SettingsDialog dialog(Config(), url);
    auto *database = dialog.findChild<QLineEdit *>(QStringLiteral("database"));
    QVERIFY(database);
    QCOMPARE(database->text(), QStringLiteral("postgresql://team:***@db.internal:5432/switchyard"));
    QCOMPARE(dialog.databasePath(), url); // unchanged: the address as it was, password included
    QVERIFY(!dialog.needsRestart());
    database->setText(QStringLiteral("postgresql://team@db2.internal/switchyard"));
    QCOMPARE(dialog.databasePath(), QStringLiteral("postgresql://team@db2.internal/switchyard"));
    QVERIFY(dialog.needsRestart());
}

QImage TestMainWindow::renderMainWindow(const QString &fileName, QSize size, int page)
{
    LogReader reader(m_db);
    EngineLink link(&reader);
    QFile defaults(QStringLiteral(":/switchyard/default-config.json"));
    if (defaults.open(QIODevice::ReadOnly)) {
        if (const Result<Config, QStringList> config = ConfigParser::parse(defaults.readAll()))
            link.onConfigApplied(config.value());
    }
    MainWindow window(&link, QStringLiteral("/home/me/.config/switchyard/config.json"), m_db);
    link.onStarted(QStringLiteral("http://127.0.0.1:4141"));
    // Two calls in flight, as a busy agent session has.
    QList<CallRecord> running{Test::SyntheticCalls(90).one(QDateTime::currentMSecsSinceEpoch() - 2300, false),
                              Test::SyntheticCalls(91).one(QDateTime::currentMSecsSinceEpoch() - 400, false)};
    running[0].requestedModel = QStringLiteral("general");
    running[0].stream = true;
    running[1].requestedModel = QStringLiteral("cheap");
    link.onCallsStarted(running);
    window.resize(size);
    window.showPage(MainWindow::Page(page));
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return QImage();
    // A screenshot for the README waits for the background queries to fill the views; in make
    // test, which only checks what is rendered, a moment does.
    const QByteArray dir = qgetenv("SWITCHYARD_SCREENSHOT_DIR");
    QTest::qWait(dir.isEmpty() ? 100 : 1500);
    const QImage image = window.grab().toImage();
    if (!dir.isEmpty() && !image.save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + fileName))
        return QImage();
    return image;
}

void TestMainWindow::screenshotDark()
{
    Appearance::apply(Appearance::Theme::Dark);
    const QImage image = renderMainWindow(QStringLiteral("main-window-dark.png"));
    Appearance::apply(Appearance::Theme::System);
    QVERIFY(!image.isNull());
    // Mostly dark pixels: the palette reached the views, not just the frame.
    qint64 lightness = 0;
    int samples = 0;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7, ++samples)
            lightness += image.pixelColor(x, y).lightness();
    }
    QVERIFY2(lightness / samples < 90, qPrintable(QString::number(lightness / samples)));
}

void TestMainWindow::screenshot()
{
    QVERIFY(!renderMainWindow(QStringLiteral("main-window.png")).isNull());
}

void TestMainWindow::screenshotSizes_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<int>("page");
    const QStringList pages{QStringLiteral("routes"), QStringLiteral("traces"), QStringLiteral("costs"), QStringLiteral("failures")};
    for (const bool dark : {false, true}) {
        for (const QSize size : {QSize(1440, 900), QSize(1024, 700)}) {
            for (int page = 0; page < pages.size(); ++page) {
                const QString name = QStringLiteral("window-%1-%2x%3-%4").arg(dark ? QStringLiteral("dark") : QStringLiteral("light"))
                                         .arg(size.width()).arg(size.height()).arg(pages.at(page));
                QTest::newRow(qPrintable(name)) << dark << size << page;
            }
        }
    }
}

// Every view in both themes at a large and a small window, for the README.
void TestMainWindow::screenshotSizes()
{
    QFETCH(bool, dark);
    QFETCH(QSize, size);
    QFETCH(int, page);
    Appearance::apply(dark ? Appearance::Theme::Dark : Appearance::Theme::Light);
    const QImage image = renderMainWindow(QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".png"), size, page);
    Appearance::apply(Appearance::Theme::System);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size() / image.devicePixelRatio(), size);
}

QTEST_MAIN(TestMainWindow)
#include "tst_MainWindow.moc"
