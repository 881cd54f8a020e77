// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/routing/RoutePlanner.h"
#include "ui/EngineLink.h"
#include "ui/routes/AliasesModel.h"
#include "ui/routes/ConfigFileBanner.h"
#include "ui/routes/ProviderKeyDialog.h"
#include "ui/routes/ProvidersModel.h"
#include "ui/routes/RouteIssuesView.h"
#include "ui/routes/RouteRankingModel.h"
#include "ui/routes/RouteRankingView.h"
#include "ui/routes/RouteTablesView.h"
#include "ui/routes/RoutesPage.h"
#include "ui/routes/TargetsModel.h"
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QColor>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QUndoStack>
#include <memory>

using namespace Switchyard;

class TestRoutesPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void loadsTheLiveRoutes();
    void editsCellsThroughSetData();
    void undoesAndRedoesEdits();
    void undoesAddsRemovesAndMoves();
    void undoingAnotherAliasShowsIt();
    void dragAndDropReordersTargets();
    void marksProblemsInline_data();
    void marksProblemsInline();
    void validatesAsTheUserTypes();
    void providerComboStepsWithTheKeyboard();
    void localBaseUrlsReadAt1024();
    void appliesOnlyValidChanges();
    void applySendsTheEditedConfig();
    void applyShowsTheEngineRefusal();
    void revertGoesBackToTheLiveRoutes();
    void showsARefusedConfigFile();
    void keysAreNeverWrittenInClear();
    void testRouteShowsWhoAnswered();
    void rankingShowsStatesAndReasons();
    void missingKeysShowAsSuch();
    void screenshot();

private:
    static Config defaultConfig();
    static Config realisticConfig();
    void answerExplanations(const TargetHealth &health);
    void setTarget(int alias, int row, int column, const QVariant &value);

    std::unique_ptr<EngineLink> m_link;
    std::unique_ptr<RoutesPage> m_page;
    std::unique_ptr<QObject> m_engine; // context of the simulated engine's answers
    QList<QAbstractItemModelTester *> m_testers;
};

Config TestRoutesPage::defaultConfig()
{
    QFile file(QStringLiteral(":/switchyard/default-config.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("default config missing");
    return ConfigParser::parse(file.readAll()).value();
}

Config TestRoutesPage::realisticConfig()
{
    Config config = defaultConfig();
    AliasConfig balanced;
    balanced.name = QStringLiteral("balanced");
    balanced.strategy = Strategy::Weighted;
    balanced.targets = {TargetConfig{QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 3.0, std::nullopt, std::nullopt},
                        TargetConfig{QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"), 2.0, std::nullopt, std::nullopt},
                        TargetConfig{QStringLiteral("openrouter"), QStringLiteral("meta-llama/llama-3.1-70b-instruct"), 1.0, std::nullopt, std::nullopt}};
    config.aliases.insert(1, balanced);
    return config;
}

void TestRoutesPage::init()
{
    // The default providers' keys are set, as on a configured desktop (missingKeysShowAsSuch unsets one).
    for (const char *name : {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY"})
        qputenv(name, "sk-test");
    m_link = std::make_unique<EngineLink>(nullptr); // the routes page never reads the log
    m_engine = std::make_unique<QObject>();
    m_page = std::make_unique<RoutesPage>(m_link.get());
    for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
             m_page->providersModel(), m_page->aliasesModel(), m_page->targetsModel(), m_page->rankingView()->model()})
        m_testers.append(new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest, model));
    m_link->onConfigApplied(defaultConfig());
}

void TestRoutesPage::cleanup()
{
    m_testers.clear();
    m_page.reset();
    m_engine.reset();
    m_link.reset();
}

void TestRoutesPage::answerExplanations(const TargetHealth &health)
{
    connect(m_link.get(), &EngineLink::routeExplanationRequested, m_engine.get(), [this, health](const QString &model, quint64 ticket) {
        QRandomGenerator random(7);
        const Result<RoutePlan> plan = RoutePlanner::plan(m_link->config(), model, health, QDateTime::currentMSecsSinceEpoch(), random);
        m_link->onRouteExplained(ticket, plan ? plan.value().toJson() : QJsonObject(), plan ? QString() : plan.error().message);
    });
}

void TestRoutesPage::setTarget(int alias, int row, int column, const QVariant &value)
{
    m_page->tables()->selectAlias(alias);
    TargetsModel *targets = m_page->targetsModel();
    QCOMPARE(targets->aliasRow(), alias);
    QVERIFY(targets->setData(targets->index(row, column), value));
}

void TestRoutesPage::loadsTheLiveRoutes()
{
    QCOMPARE(m_page->providersModel()->rowCount(), 4);
    QCOMPARE(m_page->aliasesModel()->rowCount(), 4);
    const QAbstractItemModel *providers = m_page->providersModel();
    QCOMPARE(providers->index(0, ProvidersModel::NameColumn).data().toString(), QStringLiteral("openai"));
    QCOMPARE(providers->index(1, ProvidersModel::KindColumn).data().toString(), QStringLiteral("anthropic"));
    QCOMPARE(providers->index(2, ProvidersModel::BaseUrlColumn).data().toString(), QStringLiteral("https://openrouter.ai/api/v1"));
    QCOMPARE(providers->index(0, ProvidersModel::KeyColumn).data().toString(), QStringLiteral("$OPENAI_API_KEY"));
    QCOMPARE(providers->index(3, ProvidersModel::KeyColumn).data().toString(), QStringLiteral("no key"));
    QCOMPARE(m_page->aliasesModel()->index(0, AliasesModel::TargetsColumn).data().toString(), QStringLiteral("2 targets"));
    QCOMPARE(m_page->aliasesModel()->index(0, AliasesModel::TargetsColumn).data(AliasesModel::SortRole).toInt(), 2);
    // The first alias is selected and its targets shown, in fallback order.
    QCOMPARE(m_page->tables()->selectedAlias(), 0);
    QCOMPARE(m_page->targetsModel()->rowCount(), 2);
    QCOMPARE(m_page->targetsModel()->index(1, TargetsModel::ModelColumn).data().toString(), QStringLiteral("claude-3-5-haiku-latest"));
    QCOMPARE(m_page->targetsModel()->headerData(1, Qt::Vertical).toInt(), 2);
    QVERIFY(m_page->issues().isEmpty());
    QVERIFY(!m_page->hasChanges());
    QVERIFY(!m_page->canApply());
    QCOMPARE(m_page->statusText(), QStringLiteral("No unapplied changes"));
    QCOMPARE(m_page->editedConfig(), defaultConfig());
}

void TestRoutesPage::editsCellsThroughSetData()
{
    ProvidersModel *providers = m_page->providersModel();
    QVERIFY(providers->setData(providers->index(2, ProvidersModel::BaseUrlColumn), QStringLiteral("https://openrouter.example/v1")));
    QVERIFY(providers->setData(providers->index(3, ProvidersModel::KindColumn), QStringLiteral("anthropic")));
    QVERIFY(!providers->setData(providers->index(3, ProvidersModel::KindColumn), QStringLiteral("gemini")));
    AliasesModel *aliases = m_page->aliasesModel();
    QVERIFY(aliases->setData(aliases->index(1, AliasesModel::NameColumn), QStringLiteral("cheapest")));
    QVERIFY(aliases->setData(aliases->index(1, AliasesModel::StrategyColumn), QStringLiteral("least-latency")));
    QVERIFY(!aliases->setData(aliases->index(1, AliasesModel::TargetsColumn), 3));
    setTarget(2, 1, TargetsModel::ModelColumn, QStringLiteral("gpt-4.1"));
    setTarget(2, 0, TargetsModel::WeightColumn, 2.5);
    QVERIFY(!m_page->targetsModel()->setData(m_page->targetsModel()->index(0, TargetsModel::WeightColumn), QStringLiteral("heavy")));

    const Config edited = m_page->editedConfig();
    QCOMPARE(edited.providers.at(2).baseUrl, QUrl(QStringLiteral("https://openrouter.example/v1")));
    QCOMPARE(edited.providers.at(3).kind, ProviderKind::Anthropic);
    QCOMPARE(edited.aliases.at(1).name, QStringLiteral("cheapest"));
    QCOMPARE(edited.aliases.at(1).strategy, Strategy::LeastLatency);
    QCOMPARE(edited.aliases.at(2).targets.at(1).model, QStringLiteral("gpt-4.1"));
    QCOMPARE(edited.aliases.at(2).targets.at(0).weight, std::optional<double>(2.5));
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::WeightColumn).data(TargetsModel::SortRole).toDouble(), 2.5);
    QCOMPARE(m_page->undoStack()->count(), 6);
    QVERIFY(m_page->hasChanges());
    QVERIFY(m_page->canApply());
    QCOMPARE(m_page->statusText(), QStringLiteral("Unapplied changes"));
    // An unchanged value is no edit.
    QVERIFY(aliases->setData(aliases->index(1, AliasesModel::NameColumn), QStringLiteral("cheapest")));
    QCOMPARE(m_page->undoStack()->count(), 6);
}

void TestRoutesPage::undoesAndRedoesEdits()
{
    QUndoStack *stack = m_page->undoStack();
    ProvidersModel *providers = m_page->providersModel();
    QVERIFY(providers->setData(providers->index(0, ProvidersModel::NameColumn), QStringLiteral("oai")));
    setTarget(0, 0, TargetsModel::ModelColumn, QStringLiteral("gpt-4o"));
    QCOMPARE(stack->undoText(), QStringLiteral("Edit target openai/gpt-4o-mini: model"));
    stack->undo();
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::ModelColumn).data().toString(), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(stack->undoText(), QStringLiteral("Edit provider openai: name"));
    stack->undo();
    QCOMPARE(providers->index(0, ProvidersModel::NameColumn).data().toString(), QStringLiteral("openai"));
    QCOMPARE(m_page->editedConfig(), defaultConfig());
    QVERIFY(!m_page->hasChanges());
    stack->redo();
    stack->redo();
    QCOMPARE(providers->index(0, ProvidersModel::NameColumn).data().toString(), QStringLiteral("oai"));
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::ModelColumn).data().toString(), QStringLiteral("gpt-4o"));

    // The keyboard: Ctrl+Z undoes, Ctrl+Shift+Z redoes.
    m_page->show();
    m_page->activateWindow(); // shortcuts go to the active window
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    m_page->tables()->aliasesView()->setFocus();
    QTest::keyClick(m_page->tables()->aliasesView(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::ModelColumn).data().toString(), QStringLiteral("gpt-4o-mini"));
    QTest::keyClick(m_page->tables()->aliasesView(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::ModelColumn).data().toString(), QStringLiteral("gpt-4o"));
}

void TestRoutesPage::undoesAddsRemovesAndMoves()
{
    QUndoStack *stack = m_page->undoStack();
    RouteTablesView *tables = m_page->tables();
    tables->addProvider();
    QCOMPARE(m_page->providersModel()->rowCount(), 5);
    QCOMPARE(m_page->providersModel()->providers().last().name, QStringLiteral("provider"));
    tables->addAlias();
    QCOMPARE(m_page->aliasesModel()->rowCount(), 5);
    QCOMPARE(tables->selectedAlias(), 4);
    QCOMPARE(m_page->aliasesModel()->aliases().last().name, QStringLiteral("alias"));
    tables->selectAlias(0);
    tables->targetsView()->setCurrentIndex(m_page->targetsModel()->index(0, 0));
    tables->addTarget(); // after the selected one, same provider
    QCOMPARE(m_page->targetsModel()->rowCount(), 3);
    QCOMPARE(m_page->targetsModel()->targets().at(1).provider, QStringLiteral("openai"));
    m_page->targetsModel()->removeTarget(1);
    QVERIFY(m_page->targetsModel()->moveTarget(1, 0));
    QCOMPARE(m_page->targetsModel()->targets().at(0).provider, QStringLiteral("anthropic"));
    QCOMPARE(stack->undoText(), QStringLiteral("Move target anthropic/claude-3-5-haiku-latest up"));
    m_page->providersModel()->removeProvider(3);
    m_page->aliasesModel()->removeAlias(3);
    QCOMPARE(m_page->aliasesModel()->rowCount(), 4);
    QCOMPARE(stack->count(), 7);

    while (stack->canUndo())
        stack->undo();
    QCOMPARE(m_page->editedConfig(), defaultConfig());
    QVERIFY(!m_page->hasChanges());
    while (stack->canRedo())
        stack->redo();
    const Config edited = m_page->editedConfig();
    QCOMPARE(edited.providers.size(), 4);
    QCOMPARE(edited.providers.last().name, QStringLiteral("provider"));
    QCOMPARE(edited.aliases.size(), 4);
    QCOMPARE(edited.aliases.at(0).targets.at(0).provider, QStringLiteral("anthropic"));
    QCOMPARE(edited.aliases.last().name, QStringLiteral("alias"));
}

void TestRoutesPage::undoingAnotherAliasShowsIt()
{
    setTarget(1, 1, TargetsModel::ModelColumn, QStringLiteral("meta-llama/llama-3.3-70b-instruct"));
    m_page->tables()->selectAlias(3);
    QCOMPARE(m_page->targetsModel()->rowCount(), 1);
    m_page->undoStack()->undo();
    QCOMPARE(m_page->tables()->selectedAlias(), 1);
    QCOMPARE(m_page->targetsModel()->index(1, TargetsModel::ModelColumn).data().toString(),
             QStringLiteral("meta-llama/llama-3.1-8b-instruct"));
}

void TestRoutesPage::dragAndDropReordersTargets()
{
    m_page->tables()->selectAlias(2); // long-context: anthropic sonnet, then openai gpt-4o
    TargetsModel *targets = m_page->targetsModel();
    QVERIFY(targets->supportedDropActions() & Qt::MoveAction);
    QVERIFY(targets->flags(targets->index(0, 0)) & Qt::ItemIsDragEnabled);
    QVERIFY(targets->flags(QModelIndex()) & Qt::ItemIsDropEnabled);
    std::unique_ptr<QMimeData> dragged(targets->mimeData({targets->index(1, 0), targets->index(1, 1)}));
    QVERIFY(dragged);
    QVERIFY(dragged->hasFormat(targets->mimeTypes().first()));
    QVERIFY(targets->canDropMimeData(dragged.get(), Qt::MoveAction, 0, 0, QModelIndex()));
    QVERIFY(!targets->canDropMimeData(dragged.get(), Qt::CopyAction, 0, 0, QModelIndex()));
    QVERIFY(targets->dropMimeData(dragged.get(), Qt::MoveAction, 0, 0, QModelIndex()));
    QCOMPARE(targets->targets().at(0).model, QStringLiteral("gpt-4o"));
    QCOMPARE(targets->targets().at(1).model, QStringLiteral("claude-3-5-sonnet-latest"));
    QCOMPARE(m_page->editedConfig().aliases.at(2).targets.at(0).model, QStringLiteral("gpt-4o"));
    // Dropped below the last row: back to the end.
    std::unique_ptr<QMimeData> again(targets->mimeData({targets->index(0, 0)}));
    QVERIFY(targets->dropMimeData(again.get(), Qt::MoveAction, -1, -1, QModelIndex()));
    QCOMPARE(targets->targets().at(1).model, QStringLiteral("gpt-4o"));
    m_page->undoStack()->undo();
    m_page->undoStack()->undo();
    QCOMPARE(m_page->editedConfig(), defaultConfig());
    // A drag from another alias's targets does not land here.
    m_page->tables()->selectAlias(0);
    QVERIFY(!targets->canDropMimeData(dragged.get(), Qt::MoveAction, 0, 0, QModelIndex()));
    // moveRows, as a view with an internal move uses it.
    QVERIFY(targets->moveRows(QModelIndex(), 0, 1, QModelIndex(), 2));
    QCOMPARE(targets->targets().at(1).provider, QStringLiteral("openai"));
}

void TestRoutesPage::marksProblemsInline_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("table"); // ConfigIssue::Table
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::newRow("unknown provider") << QStringLiteral("provider") << QStringLiteral("aliases[1].targets[0].provider: unknown provider \"opnai\" (did you mean \"openai\"?)")
                                      << int(ConfigIssue::Table::Targets) << 0 << int(TargetsModel::ProviderColumn);
    QTest::newRow("duplicate alias") << QStringLiteral("alias") << QStringLiteral("aliases[2].name: duplicate alias \"general\" (also aliases[0])")
                                     << int(ConfigIssue::Table::Aliases) << 2 << int(AliasesModel::NameColumn);
    QTest::newRow("weighted alias without weights") << QStringLiteral("weighted") << QStringLiteral("aliases[1].targets[1].weight: required when strategy is \"weighted\"")
                                                    << int(ConfigIssue::Table::Targets) << 1 << int(TargetsModel::WeightColumn);
    QTest::newRow("bad URL") << QStringLiteral("url") << QStringLiteral("providers[2].base_url: not an http(s) URL: \"openrouter.ai/api/v1\"")
                             << int(ConfigIssue::Table::Providers) << 2 << int(ProvidersModel::BaseUrlColumn);
}

void TestRoutesPage::marksProblemsInline()
{
    QFETCH(QString, edit);
    QFETCH(QString, message);
    QFETCH(int, table);
    QFETCH(int, row);
    QFETCH(int, column);
    if (edit == QLatin1String("provider"))
        setTarget(1, 0, TargetsModel::ProviderColumn, QStringLiteral("opnai"));
    else if (edit == QLatin1String("alias"))
        QVERIFY(m_page->aliasesModel()->setData(m_page->aliasesModel()->index(2, AliasesModel::NameColumn), QStringLiteral("general")));
    else if (edit == QLatin1String("weighted"))
        QVERIFY(m_page->aliasesModel()->setData(m_page->aliasesModel()->index(1, AliasesModel::StrategyColumn), QStringLiteral("weighted")));
    else
        QVERIFY(m_page->providersModel()->setData(m_page->providersModel()->index(2, ProvidersModel::BaseUrlColumn),
                                                  QStringLiteral("openrouter.ai/api/v1")));

    QVERIFY2(m_page->issues().contains(message), qPrintable(m_page->issues().join(QLatin1Char('\n'))));
    m_page->tables()->selectAlias(1);
    const QAbstractItemModel *model = table == int(ConfigIssue::Table::Providers) ? static_cast<QAbstractItemModel *>(m_page->providersModel())
                                      : table == int(ConfigIssue::Table::Aliases) ? static_cast<QAbstractItemModel *>(m_page->aliasesModel())
                                                                                   : static_cast<QAbstractItemModel *>(m_page->targetsModel());
    const QModelIndex cell = model->index(row, column);
    QVERIFY(cell.data(Qt::BackgroundRole).value<QColor>().isValid());
    QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(message));
    QVERIFY(!model->index(row == 0 ? 1 : 0, column).data(Qt::ToolTipRole).toString().contains(message));
    if (table == int(ConfigIssue::Table::Targets)) // seen from the aliases table too
        QVERIFY(m_page->aliasesModel()->index(1, AliasesModel::TargetsColumn).data(Qt::BackgroundRole).isValid());
    QVERIFY(!m_page->canApply());
    QVERIFY(m_page->statusText().contains(QLatin1String("to fix before Apply")));

    // Activating the message shows the cell.
    m_page->tables()->selectAlias(3);
    QListWidgetItem *item = m_page->issuesView()->findItems(message, Qt::MatchExactly).value(0);
    QVERIFY(item);
    Q_EMIT m_page->issuesView()->itemActivated(item);
    const QTableView *view = table == int(ConfigIssue::Table::Providers) ? m_page->tables()->providersView()
                             : table == int(ConfigIssue::Table::Aliases) ? m_page->tables()->aliasesView()
                                                                          : m_page->tables()->targetsView();
    QCOMPARE(view->currentIndex(), cell);

    m_page->undoStack()->undo();
    QVERIFY(m_page->issues().isEmpty());
    QVERIFY(!cell.data(Qt::BackgroundRole).isValid());
}

void TestRoutesPage::validatesAsTheUserTypes()
{
    m_page->resize(1200, 750);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QTableView *view = m_page->tables()->providersView();
    const QModelIndex url = m_page->providersModel()->index(0, ProvidersModel::BaseUrlColumn);
    view->setCurrentIndex(url);
    view->edit(url);
    auto *editor = view->findChild<QLineEdit *>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("ftp:/x"));
    // Not committed yet, and already judged by the loader.
    QCOMPARE(m_page->undoStack()->count(), 0);
    QVERIFY2(m_page->issues().contains(QStringLiteral("providers[0].base_url: not an http(s) URL: \"ftp:/x\"")),
             qPrintable(m_page->issues().join(QLatin1Char('\n'))));
    QVERIFY(url.data(Qt::BackgroundRole).isValid());
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Backspace);
    QTest::keyClick(editor, Qt::Key_Backspace);
    QCOMPARE(editor->text(), QString());
    QVERIFY(m_page->issues().contains(QStringLiteral("providers[0].base_url: must not be empty")));
    // Escape drops the edit, and its problems with it.
    QTest::keyClick(editor, Qt::Key_Escape);
    QTRY_VERIFY(m_page->issues().isEmpty());
    QCOMPARE(m_page->undoStack()->count(), 0);
}

// Issue 16, problem 14: arrow keys in the provider combo go through the choices; the edit
// ends with Enter on the one the user stopped at.
void TestRoutesPage::providerComboStepsWithTheKeyboard()
{
    m_page->resize(1200, 750);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->tables()->selectAlias(0);
    QTableView *view = m_page->tables()->targetsView();
    const QModelIndex provider = m_page->targetsModel()->index(0, TargetsModel::ProviderColumn);
    QCOMPARE(provider.data().toString(), QStringLiteral("openai"));
    view->setCurrentIndex(provider);
    view->edit(provider);
    QPointer<QComboBox> combo = view->findChild<QComboBox *>();
    QVERIFY(combo);
    QCOMPARE(combo->currentText(), QStringLiteral("openai"));
    QTest::keyClick(combo, Qt::Key_Down);
    QVERIFY(combo && combo->isVisible()); // still editing: one step is not a choice
    QTest::keyClick(combo, Qt::Key_Down);
    QVERIFY(combo && combo->isVisible());
    QCOMPARE(combo->currentText(), QStringLiteral("openrouter"));
    QTest::keyClick(combo, Qt::Key_Return);
    QTRY_COMPARE(provider.data().toString(), QStringLiteral("openrouter"));
    QCOMPARE(m_page->undoStack()->count(), 1);
}

// Issue 16, problem 12: at 1024 pixels a local base URL still shows its port.
void TestRoutesPage::localBaseUrlsReadAt1024()
{
    m_page->resize(1008, 620);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QTableView *view = m_page->tables()->providersView();
    const QModelIndex url = m_page->providersModel()->index(3, ProvidersModel::BaseUrlColumn);
    QCOMPARE(url.data().toString(), QStringLiteral("http://127.0.0.1:11434/v1"));
    const int width = view->horizontalHeader()->sectionSize(ProvidersModel::BaseUrlColumn) - 8;
    const QString shown = view->fontMetrics().elidedText(url.data().toString(), view->textElideMode(), width);
    QVERIFY2(shown.contains(QLatin1String("11434")), qPrintable(shown));
}

void TestRoutesPage::appliesOnlyValidChanges()
{
    QVERIFY(!m_page->canApply()); // no changes
    setTarget(0, 1, TargetsModel::ModelColumn, QStringLiteral("claude-3-5-sonnet-latest"));
    QVERIFY(m_page->canApply());
    setTarget(0, 0, TargetsModel::ProviderColumn, QStringLiteral("opnai"));
    QVERIFY(!m_page->canApply());
    QSignalSpy requested(m_link.get(), &EngineLink::configSaveRequested);
    m_page->apply();
    QCOMPARE(requested.count(), 0);
    setTarget(0, 0, TargetsModel::ProviderColumn, QStringLiteral("openai"));
    QVERIFY(m_page->issues().isEmpty());
    QVERIFY(m_page->canApply());
}

void TestRoutesPage::applySendsTheEditedConfig()
{
    Config sent;
    connect(m_link.get(), &EngineLink::configSaveRequested, m_engine.get(), [this, &sent](const Config &config, quint64 ticket) {
        sent = config;
        m_link->onConfigSaved(ticket, {}); // answered at once, as an engine on this thread would
    });
    QSignalSpy explained(m_link.get(), &EngineLink::routeExplanationRequested);
    setTarget(1, 1, TargetsModel::WeightColumn, 2);
    QVERIFY(m_page->aliasesModel()->setData(m_page->aliasesModel()->index(1, AliasesModel::StrategyColumn), QStringLiteral("weighted")));
    setTarget(1, 0, TargetsModel::WeightColumn, 3);
    QVERIFY(m_page->canApply());
    m_page->apply();

    Config expected = defaultConfig();
    expected.aliases[1].strategy = Strategy::Weighted;
    expected.aliases[1].targets[0].weight = 3;
    expected.aliases[1].targets[1].weight = 2;
    QCOMPARE(sent, expected);
    QCOMPARE(m_page->statusText(), QStringLiteral("Applied: the gateway routes with these settings now"));
    QVERIFY(m_page->undoStack()->isClean());
    QVERIFY(!m_page->hasChanges());
    QVERIFY(!m_page->canApply());
    QVERIFY(explained.count() > 0); // the ranking is asked again
    QCOMPARE(explained.last().at(0).toString(), QStringLiteral("cheap"));
    // The engine then reports the config it now runs; the edits stay as they are.
    m_link->onConfigApplied(sent);
    QCOMPARE(m_page->editedConfig(), sent);
    QCOMPARE(m_page->undoStack()->count(), 3);
}

// Issue 16, problem 1: a hand edit the loader refused shows in Routes, and Apply does not
// silently overwrite it; only the banner's button does.
void TestRoutesPage::showsARefusedConfigFile()
{
    QSignalSpy saves(m_link.get(), &EngineLink::configSaveRequested);
    m_page->resize(1100, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    QVERIFY(!m_page->configFileBanner()->isVisible());
    const QString message = QStringLiteral("/home/me/.config/switchyard/config.json: aliases[0].targets[0].provider: unknown provider \"opnai\"");
    m_link->onConfigFileRejected({message});
    QVERIFY(m_page->configFileBanner()->isVisible());
    QVERIFY2(m_page->configFileBanner()->text().contains(QStringLiteral("unknown provider &quot;opnai&quot;")),
             qPrintable(m_page->configFileBanner()->text()));
    QVERIFY(m_page->statusText().contains(QLatin1String("config file has errors")));
    QVERIFY(m_page->statusText() != QStringLiteral("No unapplied changes"));

    setTarget(0, 1, TargetsModel::ModelColumn, QStringLiteral("claude-3-5-sonnet-latest"));
    QVERIFY(m_page->hasChanges());
    QVERIFY(!m_page->canApply());
    m_page->apply();
    QCOMPARE(saves.count(), 0); // the hand edit is not thrown away by Apply

    auto *replace = m_page->configFileBanner()->findChild<QPushButton *>(QStringLiteral("overwriteConfigFile"));
    QVERIFY(replace);
    replace->click();
    QCOMPARE(saves.count(), 1);
    m_link->onConfigSaved(saves.constFirst().at(1).toULongLong(), {});
    QVERIFY(!m_page->configFileBanner()->isVisible());
    QVERIFY(m_link->configFileProblems().isEmpty());

    // A broken file fixed by hand clears the banner as well.
    m_link->onConfigFileRejected({message});
    QVERIFY(m_page->configFileBanner()->isVisible());
    m_link->onConfigFileLoaded(ListenConfig());
    QVERIFY(!m_page->configFileBanner()->isVisible());
}

void TestRoutesPage::applyShowsTheEngineRefusal()
{
    connect(m_link.get(), &EngineLink::configSaveRequested, m_engine.get(), [this](const Config &, quint64 ticket) {
        m_link->onConfigSaved(ticket, {QStringLiteral("/home/me/.config/switchyard/config.json: cannot write: Permission denied")});
    }, Qt::QueuedConnection);
    setTarget(0, 1, TargetsModel::ModelColumn, QStringLiteral("claude-3-5-sonnet-latest"));
    m_page->apply();
    QCOMPARE(m_page->statusText(), QStringLiteral("Applying…"));
    QVERIFY(!m_page->canApply());
    QTRY_VERIFY(m_page->statusText().startsWith(QLatin1String("Not applied")));
    QVERIFY(m_page->issues().contains(QStringLiteral("/home/me/.config/switchyard/config.json: cannot write: Permission denied")));
    QVERIFY(m_page->hasChanges());
    QVERIFY(m_page->canApply()); // worth another try once the file is writable
}

void TestRoutesPage::revertGoesBackToTheLiveRoutes()
{
    m_page->providersModel()->removeProvider(3);
    setTarget(0, 0, TargetsModel::ModelColumn, QStringLiteral("gpt-4.1-mini"));
    m_page->revert();
    QCOMPARE(m_page->editedConfig(), defaultConfig());
    QCOMPARE(m_page->tables()->selectedAlias(), 0);
    QCOMPARE(m_page->targetsModel()->rowCount(), 2);
    QVERIFY(!m_page->hasChanges());
    // Revert is itself undoable.
    m_page->undoStack()->undo();
    QCOMPARE(m_page->providersModel()->rowCount(), 3);
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::ModelColumn).data().toString(), QStringLiteral("gpt-4.1-mini"));

    // A config changed outside the window keeps the edits; with none, it just shows.
    Config outside = defaultConfig();
    outside.retry.maxAttempts = 3;
    m_link->onConfigApplied(outside);
    QCOMPARE(m_page->providersModel()->rowCount(), 3);
    QVERIFY(m_page->statusText().contains(QLatin1String("changed meanwhile")));
    m_page->revert();
    QCOMPARE(m_page->editedConfig(), outside);
    outside.aliases.removeLast();
    m_link->onConfigApplied(outside);
    QCOMPARE(m_page->aliasesModel()->rowCount(), 3);
    QCOMPARE(m_page->undoStack()->count(), 0);
}

void TestRoutesPage::keysAreNeverWrittenInClear()
{
    // This suite runs against a private keychain (KEYRING in CMake), never the user's.
    ProviderConfig openrouter = defaultConfig().providers.at(2);
    openrouter.apiKeyEnv.clear();
    auto dialog = std::make_unique<ProviderKeyDialog>(openrouter);
    auto *variable = dialog->findChild<QLineEdit *>(QStringLiteral("keyVariable"));
    auto *key = dialog->findChild<QLineEdit *>(QStringLiteral("keyText"));
    auto *refusal = dialog->findChild<QLabel *>(QStringLiteral("keyRefusal"));
    QVERIFY(variable && key && refusal);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    dialog->show();
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled()); // the keychain is the default, and there is no key yet
    QTest::keyClicks(key, QStringLiteral("sk-or-v1-0123456789abcdef"));
    QVERIFY(ok->isEnabled());
    QSignalSpy stored(dialog.get(), &ProviderKeyDialog::keyStored);
    dialog->accept(); // asynchronous: the dialog waits for the keychain, the event loop runs
    QVERIFY(stored.wait(10000));
    QCOMPARE(stored.at(0).at(0).toString(), QStringLiteral("openrouter"));
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QCOMPARE(dialog->keySource(), QStringLiteral("keychain:openrouter"));
    QVERIFY(key->text().isEmpty());
    QVERIFY(refusal->isHidden());

    // An environment variable instead: the name is stored, checked as one types.
    dialog = std::make_unique<ProviderKeyDialog>(openrouter);
    variable = dialog->findChild<QLineEdit *>(QStringLiteral("keyVariable"));
    QCOMPARE(variable->text(), QStringLiteral("OPENROUTER_API_KEY"));
    ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::keyClicks(variable, QStringLiteral("-"));
    QVERIFY(!ok->isEnabled()); // typing chose the variable, and "OPENROUTER_API_KEY-" is no name
    variable->setText(QStringLiteral("9BAD"));
    QVERIFY(!ok->isEnabled());
    variable->setText(QStringLiteral("OR_KEY"));
    QVERIFY(ok->isEnabled());
    dialog->accept();
    QCOMPARE(dialog->result(), int(QDialog::Accepted));
    QCOMPARE(dialog->keySource(), QStringLiteral("OR_KEY"));

    // A key already in the file in clear is replaced by the variable.
    Config live = defaultConfig();
    live.providers[2].apiKeyEnv.clear();
    live.providers[2].apiKey = QStringLiteral("sk-or-v1-0123456789abcdef");
    m_link->onConfigApplied(live);
    ProvidersModel *providers = m_page->providersModel();
    QCOMPARE(providers->index(2, ProvidersModel::KeyColumn).data().toString(), QStringLiteral("in the file, in clear"));
    QVERIFY(!(providers->flags(providers->index(2, ProvidersModel::KeyColumn)) & Qt::ItemIsEditable));
    QVERIFY(providers->setData(providers->index(2, ProvidersModel::KeyColumn), dialog->keySource()));
    // "$OR_KEY", marked "(not set)" while this process has no such variable.
    QVERIFY(providers->index(2, ProvidersModel::KeyColumn).data().toString().startsWith(QStringLiteral("$OR_KEY")));
    QByteArray written = ConfigWriter::toBytes(m_page->editedConfig(), ConfigWriter::Keys::Clear);
    QVERIFY(!written.contains("sk-or-v1"));
    QVERIFY(!written.contains("\"api_key\""));
    // Moved into the keychain: the file names the entry only.
    QVERIFY(providers->setData(providers->index(2, ProvidersModel::KeyColumn), QStringLiteral("keychain:openrouter")));
    QCOMPARE(providers->index(2, ProvidersModel::KeyColumn).data().toString(), QStringLiteral("keychain: openrouter"));
    written = ConfigWriter::toBytes(m_page->editedConfig(), ConfigWriter::Keys::Clear);
    QVERIFY(written.contains("\"api_key_keychain\": \"openrouter\""));
    QVERIFY(!written.contains("\"api_key_env\": \"OR_KEY\""));
    QVERIFY(!written.contains("sk-or-v1"));
    m_page->undoStack()->undo();
    m_page->undoStack()->undo();
    QCOMPARE(providers->providers().at(2).apiKey, QStringLiteral("sk-or-v1-0123456789abcdef"));
}

void TestRoutesPage::testRouteShowsWhoAnswered()
{
    QList<QString> asked;
    connect(m_link.get(), &EngineLink::routeTestRequested, m_engine.get(), [this, &asked](const QString &alias, quint64 ticket) {
        asked.append(alias);
        CallRecord record;
        record.alias = alias;
        if (asked.size() == 1) {
            record.ok = true;
            record.status = 200;
            record.provider = QStringLiteral("anthropic");
            record.model = QStringLiteral("claude-3-5-haiku-latest");
            record.durationMs = 612;
            record.attempts = {Attempt{QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 429, ErrorClass::RateLimited,
                                       QStringLiteral("Rate limit reached"), 0, 180, {}},
                               Attempt{QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"), 200, ErrorClass::None,
                                       QString(), 190, 412, {}}};
        } else {
            record.status = 503;
            record.errorClass = ErrorClass::NoHealthyTarget;
            record.errorMessage = QStringLiteral("every target of \"general\" is cooling down");
            record.durationMs = 2;
        }
        m_link->onRouteTested(ticket, record);
    }, Qt::QueuedConnection);
    RouteRankingView *ranking = m_page->rankingView();
    auto *button = ranking->findChild<QPushButton *>(QStringLiteral("testRouteButton"));
    QVERIFY(button->isEnabled());
    button->click();
    QVERIFY(!button->isEnabled()); // one test at a time
    QVERIFY(ranking->testResultText().contains(QLatin1String("Sending")));
    QTRY_VERIFY(button->isEnabled());
    QCOMPARE(asked, QList<QString>{QStringLiteral("general")});
    const QString answered = ranking->testResultText();
    QVERIFY2(answered.contains(QLatin1String("anthropic/claude-3-5-haiku-latest answered")), qPrintable(answered));
    QVERIFY(answered.contains(QLatin1String("HTTP 200 in 612 ms")));
    QVERIFY(answered.contains(QLatin1String("openai/gpt-4o-mini rate_limited (180 ms)")));

    button->click();
    QTRY_VERIFY(button->isEnabled());
    const QString failed = ranking->testResultText();
    QVERIFY2(failed.contains(QLatin1String("no_healthy_target")), qPrintable(failed));
    QVERIFY(failed.contains(QLatin1String("HTTP 503 after 2 ms")));
    QVERIFY(failed.contains(QLatin1String("cooling down")));

    // An alias that is not live yet cannot be tested.
    m_page->tables()->addAlias();
    QVERIFY(!button->isEnabled());
}

// Issue 16, problem 4: a provider whose key variable is not set is not "healthy".
void TestRoutesPage::missingKeysShowAsSuch()
{
    qunsetenv("ANTHROPIC_API_KEY");
    answerExplanations(TargetHealth());
    m_link->onConfigApplied(realisticConfig());
    m_page->tables()->selectAlias(1);
    m_page->tables()->selectAlias(0);
    const QAbstractItemModel *providers = m_page->providersModel();
    QCOMPARE(providers->index(1, ProvidersModel::KeyColumn).data().toString(), QStringLiteral("$ANTHROPIC_API_KEY (not set)"));
    QCOMPARE(providers->index(0, ProvidersModel::KeyColumn).data().toString(), QStringLiteral("$OPENAI_API_KEY"));
    const RouteRankingModel *ranking = m_page->rankingView()->model();
    QTRY_COMPARE(ranking->rowCount(), 2);
    QCOMPARE(ranking->index(0, RouteRankingModel::StateColumn).data().toString(), QStringLiteral("healthy"));
    QCOMPARE(ranking->index(1, RouteRankingModel::TargetColumn).data().toString(), QStringLiteral("anthropic/claude-3-5-haiku-latest"));
    QCOMPARE(ranking->index(1, RouteRankingModel::StateColumn).data().toString(), QStringLiteral("no key"));
    QVERIFY(ranking->index(1, RouteRankingModel::ReasonColumn).data().toString().startsWith(QLatin1String("no API key")));
    // Problems does not say "No problems" beside it: it warns and points at the key cell,
    // without blocking Apply (the variable may be set before the next start).
    const QStringList problems = m_page->issues();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().startsWith(QLatin1String("providers[1].api_key_env: no key for anthropic")), qPrintable(problems.first()));
    QVERIFY(problems.first().contains(QLatin1String("$ANTHROPIC_API_KEY is not set")));
    QVERIFY(providers->index(1, ProvidersModel::KeyColumn).data(Qt::ToolTipRole).toString().contains(QLatin1String("not set")));
    QVERIFY(m_page->providersModel()->setData(providers->index(0, ProvidersModel::BaseUrlColumn), QStringLiteral("https://api.openai.com/v2")));
    QVERIFY(m_page->canApply());
    qputenv("ANTHROPIC_API_KEY", "sk-test");
    m_page->undoStack()->undo();
    QVERIFY(m_page->issues().isEmpty());
}

void TestRoutesPage::rankingShowsStatesAndReasons()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TargetHealth health;
    CooldownPolicy cooldown;
    for (int i = 0; i < cooldown.failures; ++i)
        health.recordFailure(TargetHealth::key(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini")), now, cooldown);
    health.recordSuccess(TargetHealth::key(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest")), 840);
    answerExplanations(health);
    QSignalSpy asked(m_link.get(), &EngineLink::routeExplanationRequested);
    m_page->tables()->selectAlias(1);
    m_page->tables()->selectAlias(0);
    QCOMPARE(asked.last().at(0).toString(), QStringLiteral("general"));

    const RouteRankingModel *ranking = m_page->rankingView()->model();
    QCOMPARE(ranking->rowCount(), 2);
    // The cooling-down target goes last and is skipped.
    QCOMPARE(ranking->index(0, RouteRankingModel::TargetColumn).data().toString(), QStringLiteral("anthropic/claude-3-5-haiku-latest"));
    QCOMPARE(ranking->index(0, RouteRankingModel::StateColumn).data().toString(), QStringLiteral("healthy"));
    QCOMPARE(ranking->index(0, RouteRankingModel::LatencyColumn).data().toString(), QStringLiteral("840 ms"));
    QCOMPARE(ranking->index(0, RouteRankingModel::LatencyColumn).data(RouteRankingModel::SortRole).toDouble(), 840.0);
    QCOMPARE(ranking->index(0, RouteRankingModel::RankColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(ranking->index(1, RouteRankingModel::RankColumn).data().toString(), QStringLiteral("–"));
    QVERIFY(ranking->index(1, RouteRankingModel::StateColumn).data().toString().startsWith(QLatin1String("cooling down until ")));
    QVERIFY(ranking->index(1, RouteRankingModel::ReasonColumn).data().toString().contains(QLatin1String("3 failures in a row; skipped")));
    QCOMPARE(ranking->index(1, RouteRankingModel::LatencyColumn).data().toString(), QStringLiteral("—"));
    QCOMPARE(ranking->strategy(), QStringLiteral("fallback"));

    // Weighted: each weight and its share.
    Config weighted = realisticConfig();
    m_link->onConfigApplied(weighted);
    m_page->tables()->selectAlias(1);
    QCOMPARE(asked.last().at(0).toString(), QStringLiteral("balanced"));
    QCOMPARE(ranking->rowCount(), 3);
    QCOMPARE(ranking->strategy(), QStringLiteral("weighted"));
    QStringList weights;
    for (int row = 0; row < ranking->rowCount(); ++row)
        weights.append(ranking->index(row, RouteRankingModel::WeightColumn).data().toString());
    weights.sort();
    QCOMPARE(weights, (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}));
    QVERIFY(ranking->index(0, RouteRankingModel::ReasonColumn).data().toString().contains(QLatin1String("share")));
    QCOMPARE(m_page->targetsModel()->index(0, TargetsModel::WeightColumn).data().toString(), QStringLiteral("3  (50%)"));

    // Edited but not applied: the live ranking, with a note; a new alias has none yet.
    const int before = int(asked.count());
    setTarget(1, 0, TargetsModel::WeightColumn, 5);
    auto *note = m_page->rankingView()->findChild<QLabel *>(QStringLiteral("rankingNote"));
    QVERIFY(note->text().contains(QLatin1String("unapplied")));
    QCOMPARE(ranking->rowCount(), 3);
    m_page->tables()->addAlias();
    QCOMPARE(ranking->rowCount(), 0);
    QVERIFY(note->text().contains(QLatin1String("not live yet")));
    QCOMPARE(int(asked.count()), before);
    // Refreshed every few seconds while visible.
    m_page->tables()->selectAlias(0);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    const int shown = int(asked.count());
    QTRY_VERIFY_WITH_TIMEOUT(asked.count() > shown, 15000);
}

void TestRoutesPage::screenshot()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TargetHealth health;
    CooldownPolicy cooldown;
    for (int i = 0; i < cooldown.failures; ++i)
        health.recordFailure(TargetHealth::key(QStringLiteral("openrouter"), QStringLiteral("meta-llama/llama-3.1-70b-instruct")), now - 4000, cooldown);
    health.recordSuccess(TargetHealth::key(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini")), 612);
    health.recordSuccess(TargetHealth::key(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest")), 1184);
    answerExplanations(health);
    connect(m_link.get(), &EngineLink::routeTestRequested, m_engine.get(), [this](const QString &alias, quint64 ticket) {
        CallRecord record;
        record.alias = alias;
        record.ok = true;
        record.status = 200;
        record.provider = QStringLiteral("openai");
        record.model = QStringLiteral("gpt-4o-mini");
        record.durationMs = 598;
        record.attempts = {Attempt{record.provider, record.model, 200, ErrorClass::None, QString(), 0, 598, {}}};
        m_link->onRouteTested(ticket, record);
    });
    m_link->onConfigApplied(realisticConfig());
    m_page->resize(1200, 750);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->tables()->selectAlias(1);
    m_page->tables()->targetsView()->setCurrentIndex(m_page->targetsModel()->index(0, 0));
    m_page->rankingView()->testRoute();
    QCOMPARE(m_page->rankingView()->model()->rowCount(), 3);
    QVERIFY(m_page->rankingView()->testResultText().contains(QLatin1String("answered")));

    const QImage image = m_page->grab().toImage();
    QVERIFY(!image.isNull());
    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("routes.png"))));
    }
}

QTEST_MAIN(TestRoutesPage)
#include "tst_RoutesPage.moc"
