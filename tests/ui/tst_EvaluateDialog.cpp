// SPDX-License-Identifier: GPL-3.0-or-later
// Routes → Evaluate: the results model over a fixed report, the dialog's sorting and answer
// panes, and the whole way against the real engine: calls through the proxy, a baseline made
// of them in the real log, and the edited alias evaluated and applied from the dialog.
#include "core/log/BaselineSelection.h"
#include "core/log/LogReader.h"
#include "core/proxy/ProxyEngine.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "ui/EngineLink.h"
#include "ui/EngineLinkWiring.h"
#include "ui/routes/BaselinePicker.h"
#include "ui/routes/EvaluateDialog.h"
#include "ui/routes/EvaluationAnswersView.h"
#include "ui/routes/EvaluationFormat.h"
#include "ui/routes/EvaluationResultsModel.h"
#include "ui/routes/RoutesPage.h"
#include "ui/routes/TargetsModel.h"
#include "ui/traces/DiffView.h"
#include <QAbstractItemModelTester>
#include <QDir>
#include <QJsonArray>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;
using Column = EvaluationResultsModel::Column;

class TestEvaluateDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void modelFollowsReports();
    void sortsNumerically_data();
    void sortsNumerically();
    void selectingARowFillsBothAnswers();
    void ignoresOtherEvaluations();
    void summaryInWords();
    void evaluatesAndAppliesAgainstTheEngine();
    void closingCancelsTheRun();
};

namespace {

constexpr int Patience = 20000;

QJsonObject side(const QString &id, const QString &provider, const QString &model, int status, qint64 latencyMs, const QJsonValue &costUsd,
                 const QString &text, const QJsonArray &toolCalls = {})
{
    return {{QStringLiteral("request_id"), id},
            {QStringLiteral("provider"), provider},
            {QStringLiteral("model"), model},
            {QStringLiteral("status"), status},
            {QStringLiteral("outcome"), status == 200 ? QStringLiteral("ok") : QStringLiteral("error")},
            {QStringLiteral("error_class"), status == 200 ? QJsonValue() : QJsonValue(QStringLiteral("upstream_5xx"))},
            {QStringLiteral("latency_ms"), latencyMs},
            {QStringLiteral("cost_usd"), costUsd},
            {QStringLiteral("answer"), QJsonObject{{QStringLiteral("text"), text}, {QStringLiteral("tool_calls"), toolCalls}}}};
}

QJsonObject result(const QString &id, qint64 latencyDelta, const QJsonValue &costDelta, bool changed, const QString &before,
                   const QString &after, const QJsonArray &toolCalls = {})
{
    const double recordedCost = 0.01;
    return {{QStringLiteral("request_id"), id},
            {QStringLiteral("endpoint"), QStringLiteral("/v1/chat/completions")},
            {QStringLiteral("stream"), false},
            {QStringLiteral("original"), side(id, QStringLiteral("openai"), QStringLiteral("gpt-4o"), 200, 1000, recordedCost, before)},
            {QStringLiteral("candidate"),
             side(QStringLiteral("c-") + id, QStringLiteral("azure"), QStringLiteral("gpt-4o-mini"), 200, 1000 + latencyDelta,
                  costDelta.isDouble() ? QJsonValue(recordedCost + costDelta.toDouble()) : QJsonValue(), after, toolCalls)},
            {QStringLiteral("answer_changed"), changed},
            {QStringLiteral("latency_delta_ms"), latencyDelta},
            {QStringLiteral("cost_delta_usd"), costDelta}};
}

// Five finished rows; cost deltas that sort differently as text and as numbers.
QJsonObject fixedReport(const QString &id = QStringLiteral("eval_fixed"))
{
    const QJsonArray weather{QJsonObject{{QStringLiteral("name"), QStringLiteral("get_weather")},
                                         {QStringLiteral("arguments"), QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris")}}}}};
    const QJsonArray results{
        result(QStringLiteral("req-1"), 120, 0.5, true, QStringLiteral("Paris is sunny."), QStringLiteral("It is sunny in Paris.")),
        result(QStringLiteral("req-2"), -35, 0.05, false, QStringLiteral("Same."), QStringLiteral("Same.")),
        result(QStringLiteral("req-3"), 9, -0.1, true, QStringLiteral("Let me check."), QString(), weather),
        result(QStringLiteral("req-4"), 1000, 10.0, false, QStringLiteral("Ok."), QStringLiteral("Ok.")),
        result(QStringLiteral("req-5"), -200, QJsonValue(), true, QStringLiteral("A"), QStringLiteral("B"))};
    return {{QStringLiteral("id"), id},
            {QStringLiteral("state"), QStringLiteral("done")},
            {QStringLiteral("done"), 5},
            {QStringLiteral("total"), 5},
            {QStringLiteral("results"), results}};
}

QStringList columnTexts(const QAbstractItemModel *model, int column)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, column).data().toString();
    return values;
}

} // namespace

void TestEvaluateDialog::modelFollowsReports()
{
    EvaluationResultsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QJsonObject running = fixedReport();
    QJsonArray results = running.value(QLatin1String("results")).toArray();
    QJsonObject pending = results.at(0).toObject();
    for (const char *key : {"candidate", "answer_changed", "latency_delta_ms", "cost_delta_usd"})
        pending.remove(QLatin1String(key));
    pending.insert(QStringLiteral("candidate"), QJsonValue());
    results.replace(0, pending);
    running.insert(QStringLiteral("results"), results);
    model.setReport(running);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), int(EvaluationResultsModel::ColumnCount));
    QCOMPARE(model.index(0, Column::CandidateColumn).data().toString(), QStringLiteral("waiting…"));
    QCOMPARE(model.index(0, Column::CostDeltaColumn).data().toString(), QStringLiteral("—"));
    QVERIFY(!model.index(0, Column::CostDeltaColumn).data(EvaluationResultsModel::SortRole).isValid());

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setReport(fixedReport()); // the same requests, further along: in place
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0, Column::OriginalColumn).data().toString(), QStringLiteral("200 · openai/gpt-4o"));
    QCOMPARE(model.index(0, Column::CandidateColumn).data().toString(), QStringLiteral("200 · azure/gpt-4o-mini"));
    QCOMPARE(model.index(0, Column::LatencyDeltaColumn).data().toString(), QStringLiteral("+120 ms"));
    QCOMPARE(model.index(1, Column::LatencyDeltaColumn).data().toString(), QStringLiteral("−35 ms"));
    QCOMPARE(model.index(0, Column::CostDeltaColumn).data().toString(), QStringLiteral("+$0.5000"));
    QCOMPARE(model.index(2, Column::CostDeltaColumn).data().toString(), QStringLiteral("−$0.1000"));
    QCOMPARE(model.index(0, Column::ChangedColumn).data().toString(), QStringLiteral("changed"));
    QCOMPARE(model.index(1, Column::ChangedColumn).data().toString(), QStringLiteral("same"));
    QCOMPARE(model.index(3, Column::LatencyDeltaColumn).data(EvaluationResultsModel::SortRole).toLongLong(), 1000);
    QCOMPARE(model.index(4, 0).data(EvaluationResultsModel::RequestIdRole).toString(), QStringLiteral("req-5"));

    QJsonObject other = fixedReport();
    QJsonArray fewer = other.value(QLatin1String("results")).toArray();
    fewer.removeLast();
    other.insert(QStringLiteral("results"), fewer);
    model.setReport(other); // another evaluation: new rows
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 4);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestEvaluateDialog::sortsNumerically_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QStringList>("ascending");
    // As text "+$0.0500" < "+$0.5000" < "+$10.00" < "−$0.1000" ; as numbers −0.1 < 0.05 < 0.5 < 10, unpriced last.
    QTest::newRow("cost delta") << int(Column::CostDeltaColumn) << QStringList{u"req-3"_s, u"req-2"_s, u"req-1"_s, u"req-4"_s, u"req-5"_s};
    QTest::newRow("latency delta") << int(Column::LatencyDeltaColumn)
                                   << QStringList{u"req-5"_s, u"req-2"_s, u"req-3"_s, u"req-1"_s, u"req-4"_s};
    QTest::newRow("answer changed") << int(Column::ChangedColumn)
                                    << QStringList{u"req-2"_s, u"req-4"_s, u"req-1"_s, u"req-3"_s, u"req-5"_s};
}

void TestEvaluateDialog::sortsNumerically()
{
    QFETCH(int, column);
    QFETCH(QStringList, ascending);
    EngineLink link(nullptr);
    EvaluateDialog dialog(&link, u"general"_s, {});
    QAbstractItemModelTester tester(dialog.sortedResults(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    dialog.resultsModel()->setReport(fixedReport());
    QCOMPARE(columnTexts(dialog.sortedResults(), Column::RequestColumn),
             (QStringList{u"req-1"_s, u"req-2"_s, u"req-3"_s, u"req-4"_s, u"req-5"_s})); // the baseline's order at first
    dialog.resultsView()->sortByColumn(column, Qt::AscendingOrder);
    QCOMPARE(columnTexts(dialog.sortedResults(), Column::RequestColumn), ascending);
}

void TestEvaluateDialog::selectingARowFillsBothAnswers()
{
    EngineLink link(nullptr);
    EvaluateDialog dialog(&link, u"general"_s, {});
    dialog.resultsModel()->setReport(fixedReport());
    EvaluationAnswersView *answers = dialog.answersView();
    QVERIFY(answers->original()->toPlainText().isEmpty());

    dialog.resultsView()->selectRow(0);
    QCOMPARE(answers->originalTitle(), QStringLiteral("Recorded answer (openai/gpt-4o)"));
    QCOMPARE(answers->candidateTitle(), QStringLiteral("Candidate answer (azure/gpt-4o-mini)"));
    QCOMPARE(answers->original()->toPlainText(), QStringLiteral("Paris is sunny."));
    QCOMPARE(answers->candidate()->toPlainText(), QStringLiteral("It is sunny in Paris."));
    QVERIFY(answers->original()->isReadOnly() && answers->candidate()->isReadOnly());
    QCOMPARE(answers->diff()->removedCount(), 1);
    QCOMPARE(answers->diff()->addedCount(), 1);

    dialog.resultsView()->sortByColumn(Column::CostDeltaColumn, Qt::AscendingOrder);
    dialog.resultsView()->selectRow(0); // req-3 sorts first: its answer is a tool call
    QCOMPARE(answers->original()->toPlainText(), QStringLiteral("Let me check."));
    const QString toolCall = answers->candidate()->toPlainText();
    QVERIFY2(toolCall.startsWith(QLatin1String("Tool call: get_weather\n{")), qPrintable(toolCall));
    QVERIFY2(toolCall.contains(QLatin1String("\"city\": \"Paris\"")), qPrintable(toolCall));
}

void TestEvaluateDialog::ignoresOtherEvaluations()
{
    EngineLink link(nullptr);
    EvaluateDialog dialog(&link, u"general"_s, {});
    link.onEvaluationChanged(fixedReport(u"eval_someone_else"_s)); // the admin API's, say
    QCOMPARE(dialog.resultsModel()->rowCount(), 0);
    QVERIFY(dialog.summaryText().isEmpty());
    QVERIFY(!dialog.runButton()->isEnabled()); // no baseline, no estimate
}

void TestEvaluateDialog::summaryInWords()
{
    const auto side = [](double cost, int unpriced, int failures) {
        return QJsonObject{{u"cost_usd"_s, cost}, {u"unpriced"_s, unpriced}, {u"failures"_s, failures}};
    };
    const QJsonObject summary{{u"requests"_s, 40},
                              {u"original"_s, side(0.0265, 0, 0)},
                              {u"candidate"_s, side(0.0015, 2, 1)},
                              {u"cost_delta_usd"_s, -0.025},
                              {u"latency_p50_delta_ms"_s, -492.4},
                              {u"latency_p95_delta_ms"_s, 31.0},
                              {u"failures"_s, 1},
                              {u"answers_changed"_s, 7}};
    QCOMPARE(EvaluationFormat::summary({{u"state"_s, u"done"_s}, {u"total"_s, 40}, {u"summary"_s, summary}}),
             u"Cost $0.0265 → $0.0015 (2 unpriced) (−$0.0250) · Latency p50 −492 ms, p95 +31 ms · Failures 0 → 1 · "
             "<b>Answers changed: 7 of 40</b>"_s);
    QVERIFY(EvaluationFormat::summary({{u"state"_s, u"running"_s}, {u"total"_s, 50}, {u"summary"_s, summary}})
                .startsWith(u"So far 40 of 50 · "_s));
    QCOMPARE(EvaluationFormat::estimate({{u"usd"_s, 0.42}, {u"requests"_s, 40}, {u"basis"_s, u"priced at openai/gpt-4o-mini"_s}}),
             u"≈ $0.42 for 40 requests, priced at openai/gpt-4o-mini"_s);
    QCOMPARE(EvaluationFormat::alias({{u"strategy"_s, u"fallback"_s},
                                      {u"targets"_s, QJsonArray{QJsonObject{{u"provider"_s, u"a"_s}, {u"model"_s, u"m1"_s}},
                                                                QJsonObject{{u"provider"_s, u"b"_s}, {u"model"_s, u"m2"_s}}}}}),
             u"Fallback: a/m1, then b/m2"_s);
}

namespace {

// The engine with its log, and a window link wired to it the way AppWiring does (the parts
// this dialog and the routes page use). Two upstreams answering differently: "openai" (a) and
// "azure" (b).
struct Rig
{
    FakeProvider a;
    FakeProvider b;
    QTemporaryDir dir;
    Config config;
    std::unique_ptr<EngineThread> engine;
    std::unique_ptr<LogReader> reader;
    std::unique_ptr<EngineLink> link;

    Rig()
    {
        config = TestConfigs::base();
        config.providers = {TestConfigs::provider(u"openai"_s, a.port()), TestConfigs::provider(u"azure"_s, b.port())};
        config.aliases = {TestConfigs::alias(u"support"_s, Strategy::Fallback, {TestConfigs::target(u"openai"_s, u"gpt-4o"_s)})};
        const QString db = dir.filePath(u"log.db"_s);
        engine = std::make_unique<EngineThread>(config, db, dir.filePath(u"config.json"_s));
        reader = std::make_unique<LogReader>(db);
        link = std::make_unique<EngineLink>(reader.get());
        wireEngineLink(engine->engine(), link.get()); // as AppWiring does
        link->onConfigApplied(config);
    }

    // The recorded calls `ids` as the baseline "support-replies"; how many were added, or -1.
    int addBaseline(const QStringList &ids)
    {
        std::optional<Result<int>> added;
        reader->edit<Result<int>>(
            link.get(),
            [ids](LogQueries &queries, BaselineStore &store) -> Result<int> {
                const Result<BaselineSelection> chosen = BaselineSelection::byIds(queries, ids);
                if (!chosen)
                    return chosen.error();
                return store.add(u"support-replies"_s, u"chosen requests"_s, chosen.value().records);
            },
            [&added](const Result<int> &r) { added = r; });
        if (!QTest::qWaitFor([&added] { return added.has_value(); }, Patience) || !*added)
            return -1;
        return added->value();
    }

    // The alias "support" edited in Routes, not applied: answered by azure/gpt-4o-mini instead.
    static bool editToAzure(RoutesPage &page)
    {
        TargetsModel *targets = page.targetsModel();
        targets->setAliasRow(0);
        return targets->setData(targets->index(0, TargetsModel::ProviderColumn), u"azure"_s)
               && targets->setData(targets->index(0, TargetsModel::ModelColumn), u"gpt-4o-mini"_s);
    }

    RawHttpClient::Response chat(const QByteArray &question)
    {
        return RawHttpClient::fetch(engine->port(), "POST", "/v1/chat/completions",
                                    R"({"model":"support","messages":[{"role":"user","content":")" + question + R"("}]})");
    }
};

FakeProvider::Reply reply(const QString &text, int completionTokens)
{
    FakeProvider::Reply r;
    r.text = text;
    r.promptTokens = 1850;
    r.completionTokens = completionTokens;
    return r;
}

} // namespace

void TestEvaluateDialog::evaluatesAndAppliesAgainstTheEngine()
{
    Rig rig;
    // Recorded: three support answers from openai/gpt-4o; the candidate azure/gpt-4o-mini
    // words the first differently, answers the second with its (wrong) stock text, and gives
    // the third word for word.
    const QString candidate =
        u"Your order #4812 shipped on Tuesday.\nIt should arrive by Thursday.\nYou can track it from the Orders page."_s;
    const QStringList recorded{
        u"Your order #4812 shipped on Tuesday.\nIt should arrive by Friday.\nYou can track it from the Orders page."_s,
        u"I have reset your password.\nCheck your inbox for a link; it is valid for 30 minutes."_s, candidate};
    const QList<QByteArray> questions{"Where is my order 4812?", "I cannot log in", "Has order 4812 shipped?"};
    QStringList ids;
    for (int i = 0; i < recorded.size(); ++i) {
        rig.a.setReply(reply(recorded.at(i), 420));
        rig.a.enqueue(Behaviour::slowFirstByte(650 + 120 * i));
        const auto response = rig.chat(questions.at(i));
        QCOMPARE(response.status, 200);
        ids << QString::fromLatin1(response.headers.value("x-switchyard-request-id"));
    }
    QVERIFY(rig.engine->waitForWritten(3));
    rig.b.setReply(reply(candidate, 380));
    for (int ms : {240, 310, 280})
        rig.b.enqueue(Behaviour::slowFirstByte(ms));

    QCOMPARE(rig.addBaseline(ids), 3);

    // The alias edited in Routes, not applied: answered by azure/gpt-4o-mini instead.
    RoutesPage page(rig.link.get());
    QVERIFY(Rig::editToAzure(page));
    EvaluateDialog *dialog = page.showEvaluation();
    QVERIFY(dialog);
    QCOMPARE(dialog->windowTitle(), u"Evaluate alias support"_s);
    QCOMPARE(dialog->alias().value(QLatin1String("targets")).toArray().at(0).toObject().value(QLatin1String("provider")).toString(),
             u"azure"_s);
    QAbstractItemModelTester modelTester(dialog->resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(dialog->sortedResults(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->baselines()->current(), u"support-replies"_s, Patience);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->runButton()->isEnabled(), Patience);
    QVERIFY2(dialog->estimateText().startsWith(u"≈ $"_s), qPrintable(dialog->estimateText()));
    QVERIFY2(dialog->estimateText().contains(u"for 3 requests, priced at azure/gpt-4o-mini"_s), qPrintable(dialog->estimateText()));

    dialog->run(); // the estimate is under a dollar: the Run button would not ask either
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->evaluationId().isEmpty(), Patience);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), u"done"_s, Patience);
    QCOMPARE(dialog->resultsModel()->rowCount(), 3);
    QCOMPARE(columnTexts(dialog->resultsModel(), Column::RequestColumn), ids);
    QCOMPARE(columnTexts(dialog->resultsModel(), Column::ChangedColumn), (QStringList{u"changed"_s, u"changed"_s, u"same"_s}));
    QVERIFY2(dialog->summaryText().contains(u"Answers changed: 2 of 3"_s), qPrintable(dialog->summaryText()));
    QCOMPARE(dialog->findChild<QProgressBar *>()->value(), 3);

    dialog->resultsView()->selectRow(0);
    EvaluationAnswersView *answers = dialog->answersView();
    QCOMPARE(answers->original()->toPlainText(), recorded.at(0));
    QCOMPARE(answers->candidate()->toPlainText(), candidate);
    QCOMPARE(answers->originalTitle(), u"Recorded answer (openai/gpt-4o)"_s);
    QCOMPARE(answers->candidateTitle(), u"Candidate answer (azure/gpt-4o-mini)"_s);
    QCOMPARE(answers->diff()->addedCount(), 1);

    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        dialog->resize(1200, 800);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QDir().mkpath(dir);
        QVERIFY(dialog->grab().save(QDir(dir).filePath(u"evaluation.png"_s)));
    }

    // "Apply this route" applies the edited routes: the next call goes to azure.
    QVERIFY(dialog->applyButton()->isEnabled());
    QSignalSpy saved(rig.link.get(), &EngineLink::configSaved);
    dialog->applyButton()->click();
    QVERIFY(saved.wait(Patience));
    QCOMPARE(saved.constFirst().at(1).toStringList(), QStringList());
    QCOMPARE(rig.chat("Thanks!").headers.value("x-switchyard-provider"), QByteArray("azure"));
    dialog->close();
}

// Closing the dialog while its evaluation runs cancels it, without asking.
void TestEvaluateDialog::closingCancelsTheRun()
{
    Rig rig;
    const auto response = rig.chat("Where is my order 4812?");
    QCOMPARE(response.status, 200);
    QVERIFY(rig.engine->waitForWritten(1));
    QCOMPARE(rig.addBaseline({QString::fromLatin1(response.headers.value("x-switchyard-request-id"))}), 1);
    rig.b.enqueue(Behaviour::neverAnswer());

    RoutesPage page(rig.link.get());
    QVERIFY(Rig::editToAzure(page));
    QPointer<EvaluateDialog> dialog = page.showEvaluation();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->runButton()->isEnabled(), Patience);
    QSignalSpy reports(rig.link.get(), &EngineLink::evaluationChanged);
    dialog->run();
    QTRY_COMPARE_WITH_TIMEOUT(dialog->state(), u"running"_s, Patience);
    QVERIFY(rig.b.waitForRequests(1, Patience));
    const QString id = dialog->evaluationId();
    dialog->close();
    QTRY_VERIFY(dialog.isNull()); // deleted on close
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(reports.cbegin(), reports.cend(),
                                         [&id](const QList<QVariant> &report) {
                                             const QJsonObject r = report.at(0).toJsonObject();
                                             return r.value(QLatin1String("id")).toString() == id
                                                    && r.value(QLatin1String("state")).toString() == QLatin1String("cancelled");
                                         }),
                             Patience);
}

QTEST_MAIN(TestEvaluateDialog)
#include "tst_EvaluateDialog.moc"
