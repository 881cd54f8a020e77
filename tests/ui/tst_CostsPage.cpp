// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LogCodec.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "tests/support/SyntheticCalls.h"
#include "ui/EngineLink.h"
#include "ui/costs/CostChart.h"
#include "ui/costs/CostsPage.h"
#include "ui/costs/PricesDialog.h"
#include "ui/costs/PricingModel.h"
#include "ui/costs/StatsModel.h"
#include "ui/traces/TraceFormat.h"
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

using namespace Switchyard;

class TestCostsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void statsModelFormatsDays();
    void statsModelMergesGroups();
    void totalsMatchTheGeneratedCalls();
    void groupByBucketAndRangeRequery();
    void headlineLatencyIgnoresGroupBy();
    void pricesAreEditedBesideTheShippedOnes();
    void manyGroupsEndInOther();
    void tooltipNamesBucketGroupAndValue();
    void exportsCsv();
    void exportsPng();
    void emptyRangeSaysSo();
    void screenshot();
    void liveCallsRefreshAtMostEveryTwoSeconds();
    void evaluationCallsOnlyWhenAsked();

private:
    struct Sums
    {
        qint64 requests = 0, errors = 0, prompt = 0, completion = 0, cached = 0, unpriced = 0;
        double cost = 0;
        void add(const CallRecord &r);
    };
    bool reload(const std::function<void()> &change);
    QSet<QString> groupsSince(const QString &by, qint64 sinceMs) const;
    QString figure(const char *name) const { return m_page->findChild<QLabel *>(QLatin1String(name))->text(); }

    QTemporaryDir m_dir;
    qint64 m_now = 0;
    QList<CallRecord> m_records;
    Sums m_sums;
    Sums m_evaluationCalls;
    std::unique_ptr<LogWriter> m_writer;
    std::unique_ptr<LogReader> m_reader;
    std::unique_ptr<EngineLink> m_link;
    std::unique_ptr<CostsPage> m_page;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

static const QStringList s_projects{QStringLiteral("webapp"), QStringLiteral("agent"), QStringLiteral("notes"),
    QStringLiteral("billing"), QStringLiteral("search"), QStringLiteral("infra"), QStringLiteral("docs"),
    QStringLiteral("mobile"), QStringLiteral("etl"), QStringLiteral("crm"), QStringLiteral("ops"),
    QStringLiteral("ml-evals"), QStringLiteral("support-bot"), QStringLiteral("website")};

void TestCostsPage::Sums::add(const CallRecord &r)
{
    ++requests;
    errors += r.ok ? 0 : 1;
    prompt += r.usage.promptTokens.value_or(0);
    completion += r.usage.completionTokens.value_or(0);
    cached += r.usage.cachedPromptTokens.value_or(0);
    cost += r.costUsd.value_or(0);
    unpriced += r.ok && !r.costUsd ? 1 : 0;
}

void TestCostsPage::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_now = QDateTime::currentMSecsSinceEpoch();
    const qint64 day = 24 * 3600000LL;
    Test::SyntheticCalls calls;
    m_records = calls.generate(4000, m_now - 30 * day + 3600000, m_now - 60000);
    for (int i = 0; i < m_records.size(); ++i) {
        CallRecord &r = m_records[i];
        r.project = QStringLiteral("/home/dev/src/") + s_projects[(i * 7 + i / 13) % s_projects.size()];
        if (i % 23 == 0 && r.ok) { // a local model nobody priced
            r.alias = QStringLiteral("local");
            r.provider = QStringLiteral("ollama");
            r.model = QStringLiteral("llama3.1:8b");
            r.costUsd.reset();
        }
        m_sums.add(r);
    }
    // An evaluation's calls: in the log, left out of the charts unless asked for.
    for (int i = 0; i < 5; ++i) {
        CallRecord r = m_records.at(i * 100);
        r.id += QStringLiteral("-eval");
        r.evaluationId = QStringLiteral("eval_test");
        r.ok = true;
        r.costUsd = 0.5;
        m_evaluationCalls.add(r);
        m_records.append(r);
    }
    const QString path = m_dir.filePath(QStringLiteral("log.sqlite"));
    m_writer = std::make_unique<LogWriter>(path, LogConfig());
    QVERIFY2(m_writer->open(), qPrintable(m_writer->errorString()));
    m_writer->append(m_records);
    m_writer->flush();
    m_reader = std::make_unique<LogReader>(path);
    m_link = std::make_unique<EngineLink>(m_reader.get());
}

void TestCostsPage::init()
{
    m_page = std::make_unique<CostsPage>(m_link.get());
    m_modelTester = std::make_unique<QAbstractItemModelTester>(m_page->dayModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *table = m_page->findChild<QTableView *>(QStringLiteral("dayTable"));
    QVERIFY(table);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_page->resize(1200, 750);
    QVERIFY(reload([this] { m_page->show(); }));
    QVERIFY(reload([this] { m_page->setRange(CostsPage::Range::ThirtyDays); }));
}

void TestCostsPage::cleanup()
{
    m_proxyTester.reset();
    m_modelTester.reset();
    m_page.reset();
}

bool TestCostsPage::reload(const std::function<void()> &change)
{
    QSignalSpy loaded(m_page.get(), &CostsPage::statsLoaded);
    change();
    return loaded.wait(20000);
}

QSet<QString> TestCostsPage::groupsSince(const QString &by, qint64 sinceMs) const
{
    QSet<QString> groups;
    for (const CallRecord &r : m_records) {
        if (r.startedAt.toMSecsSinceEpoch() < sinceMs)
            continue;
        groups.insert(by == QLatin1String("alias") ? r.alias
                      : by == QLatin1String("provider") ? r.provider
                      : by == QLatin1String("model") ? r.model
                      : by == QLatin1String("client") ? LogCodec::clientName(r)
                                                       : r.project);
    }
    return groups;
}

void TestCostsPage::statsModelFormatsDays()
{
    StatsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 day = 24 * 3600000LL;
    const qint64 d0 = QDateTime(QDate(2024, 5, 14), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    StatsRow cheap{d0, QStringLiteral("general"), 10, 2, 1000, 200, 50, 0.0123, 0, 850.0, 2400.0};
    StatsRow dear{d0 + day, QStringLiteral("general"), 4, 0, 9000, 900, 0, 12.3456, 1, 1200.0, 3000.0};
    StatsRow unpriced{d0 + 2 * day, QStringLiteral("local"), 3, 0, 300, 30, 0, 0, 3, 90.0, 120.0};
    StatsRow failed{d0 + 3 * day, QStringLiteral("general"), 2, 2, 0, 0, 0, 0, 0, std::nullopt, std::nullopt};
    model.setRows({dear, failed, cheap, unpriced});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), int(StatsModel::ColumnCount));
    const auto text = [&model](int row, StatsModel::Column column) { return model.index(row, column).data().toString(); };
    const auto raw = [&model](int row, StatsModel::Column column) { return model.index(row, column).data(StatsModel::SortRole); };
    QCOMPARE(text(0, StatsModel::DayColumn), QStringLiteral("Tue 14 May 2024"));
    QCOMPARE(raw(0, StatsModel::DayColumn).toLongLong(), d0);
    QCOMPARE(text(0, StatsModel::CostColumn), QStringLiteral("$0.0123"));
    QCOMPARE(raw(0, StatsModel::CostColumn).toDouble(), 0.0123);
    QCOMPARE(text(0, StatsModel::ErrorsColumn), QStringLiteral("2 (20.0%)"));
    QCOMPARE(raw(0, StatsModel::ErrorsColumn).toLongLong(), 2);
    QCOMPARE(text(0, StatsModel::P50Column), QStringLiteral("850 ms"));
    QCOMPARE(text(0, StatsModel::P95Column), QStringLiteral("2.40 s"));
    QCOMPARE(text(1, StatsModel::PromptColumn), QStringLiteral("9,000"));
    QCOMPARE(raw(1, StatsModel::PromptColumn).toLongLong(), 9000);
    QCOMPARE(text(1, StatsModel::CostColumn), QStringLiteral("$12.35"));
    QCOMPARE(text(1, StatsModel::UnpricedColumn), QStringLiteral("1"));
    // A day of unpriced calls has no cost to show, not a cost of $0.
    QCOMPARE(text(2, StatsModel::CostColumn), QStringLiteral("—"));
    QCOMPARE(text(2, StatsModel::UnpricedColumn), QStringLiteral("3"));
    QVERIFY(model.index(2, StatsModel::CostColumn).data(Qt::ToolTipRole).toString().contains(QLatin1String("3")));
    QCOMPARE(text(3, StatsModel::CostColumn), QStringLiteral("$0"));
    QCOMPARE(text(3, StatsModel::P50Column), QStringLiteral("—"));
    QCOMPARE(raw(3, StatsModel::P50Column).toDouble(), -1.0);
    QCOMPARE(model.headerData(StatsModel::DayColumn, Qt::Horizontal).toString(), QStringLiteral("Day (UTC)"));

    const StatsRow &totals = model.totals();
    QCOMPARE(totals.requests, 19);
    QCOMPARE(totals.errors, 4);
    QCOMPARE(totals.unpriced, 4);
    QCOMPARE(totals.costUsd, 0.0123 + 12.3456);
    QCOMPARE(StatsModel::formatCost(totals), QStringLiteral("$12.36"));
    QCOMPARE(StatsModel::formatCompact(12345678), QStringLiteral("12.3M"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestCostsPage::statsModelMergesGroups()
{
    const StatsRow fast{0, QStringLiteral("cheap"), 30, 1, 100, 10, 0, 0.5, 0, 400.0, 900.0};
    const StatsRow slow{0, QStringLiteral("long-context"), 10, 0, 900, 90, 5, 2.0, 2, 3000.0, 6000.0};
    const StatsRow later{3600000, QStringLiteral("cheap"), 5, 0, 50, 5, 0, 0.1, 0, 500.0, 700.0};
    const QList<StatsRow> buckets = StatsModel::mergeGroups({later, slow, fast});
    QCOMPARE(buckets.size(), 2);
    QCOMPARE(buckets[0].bucketStartMs, 0);
    QCOMPARE(buckets[0].requests, 40);
    QCOMPARE(buckets[0].promptTokens, 1000);
    QCOMPARE(buckets[0].unpriced, 2);
    QCOMPARE(buckets[0].costUsd, 2.5);
    // One group: its own quantiles. Several: somewhere between the groups', weighted by requests.
    QCOMPARE(buckets[1].p50Ms, std::optional<double>(500.0));
    QCOMPARE(buckets[1].p95Ms, std::optional<double>(700.0));
    QVERIFY(*buckets[0].p50Ms > 400 && *buckets[0].p50Ms < 3000);
    QVERIFY(*buckets[0].p95Ms > *buckets[0].p50Ms && *buckets[0].p95Ms <= 9000);
    QVERIFY(*buckets[0].p50Ms < 1500); // three quarters of the calls are the fast ones
}

void TestCostsPage::totalsMatchTheGeneratedCalls()
{
    const StatsRow &totals = m_page->dayModel()->totals();
    QCOMPARE(totals.requests, m_sums.requests);
    QCOMPARE(totals.errors, m_sums.errors);
    QCOMPARE(totals.promptTokens, m_sums.prompt);
    QCOMPARE(totals.completionTokens, m_sums.completion);
    QCOMPARE(totals.cachedTokens, m_sums.cached);
    QCOMPARE(totals.unpriced, m_sums.unpriced);
    QVERIFY(m_sums.unpriced > 0);
    QVERIFY(qAbs(totals.costUsd - m_sums.cost) < 1e-6);

    QCOMPARE(figure("totalCost"), TraceFormat::cost(m_sums.cost));
    QCOMPARE(figure("totalRequests"), QLocale().toString(m_sums.requests));
    QCOMPARE(figure("errorRate"), QLocale().toString(100.0 * double(m_sums.errors) / double(m_sums.requests), 'f', 1) + QLatin1Char('%'));
    QCOMPARE(figure("unpricedCalls"), QLocale().toString(m_sums.unpriced));

    // The table holds one row per day, and its rows add up to the same totals.
    const StatsModel *days = m_page->dayModel();
    QVERIFY(days->rowCount() >= 30 && days->rowCount() <= 31);
    qint64 requests = 0;
    double cost = 0;
    for (int row = 0; row < days->rowCount(); ++row) {
        requests += days->index(row, StatsModel::RequestsColumn).data(StatsModel::SortRole).toLongLong();
        cost += days->index(row, StatsModel::CostColumn).data(StatsModel::SortRole).toDouble();
    }
    QCOMPARE(requests, m_sums.requests);
    QVERIFY(qAbs(cost - m_sums.cost) < 1e-6);
    QCOMPARE(m_page->chart()->message(), QString());
}

void TestCostsPage::evaluationCallsOnlyWhenAsked()
{
    const StatsRow live = m_page->dayModel()->totals(); // earlier tests may have added live calls
    auto *check = m_page->findChild<QCheckBox *>(QStringLiteral("evaluationsCheck"));
    QVERIFY(check);
    QVERIFY(!check->isChecked());
    QVERIFY(reload([check] { check->setChecked(true); }));
    QVERIFY(m_page->shownQuery().evaluations);
    QCOMPARE(m_page->dayModel()->totals().requests, live.requests + m_evaluationCalls.requests);
    QVERIFY(qAbs(m_page->dayModel()->totals().costUsd - live.costUsd - m_evaluationCalls.cost) < 1e-6);
    QVERIFY(reload([check] { check->setChecked(false); }));
    QCOMPARE(m_page->dayModel()->totals().requests, live.requests);
}

// Issue 16, problem 10: the same calls have the same p50/p95 whatever they are grouped by.
void TestCostsPage::headlineLatencyIgnoresGroupBy()
{
    auto *groupBy = m_page->findChild<QComboBox *>(QStringLiteral("groupByCombo"));
    QSet<QString> shown;
    for (const QString &by : {QStringLiteral("alias"), QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("client"),
                              QStringLiteral("project")}) {
        if (m_page->shownQuery().by != by)
            QVERIFY(reload([&] { groupBy->setCurrentIndex(groupBy->findData(by)); }));
        shown.insert(figure("latency"));
    }
    QCOMPARE(shown.size(), 1);
    QVERIFY(!shown.values().constFirst().startsWith(QStringLiteral("—")));
}

// Issue 16, developer tools: prices edited in the window, the shipped price beside each.
void TestCostsPage::pricesAreEditedBesideTheShippedOnes()
{
    EngineLink link(nullptr);
    Config config;
    config.pricing = {PriceOverride{QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 0.1, 0.5, std::nullopt},
                      PriceOverride{QStringLiteral("local"), QStringLiteral("qwen2.5-coder"), 0, 0, std::nullopt}};
    link.onConfigApplied(config);
    PricesDialog dialog(&link);
    PricingModel *model = dialog.model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, PricingModel::InputColumn).data().toString(), QStringLiteral("$0.1"));
    QCOMPARE(model->index(0, PricingModel::InputColumn).data(PricingModel::SortRole).toDouble(), 0.1);
    QCOMPARE(model->index(0, PricingModel::ShippedColumn).data().toString(), QStringLiteral("$0.15 / $0.6"));
    QCOMPARE(model->index(1, PricingModel::ShippedColumn).data().toString(), QStringLiteral("not listed"));
    QVERIFY(!(model->flags(model->index(0, PricingModel::ShippedColumn)) & Qt::ItemIsEditable));
    QVERIFY(!model->setData(model->index(0, PricingModel::OutputColumn), QStringLiteral("cheap")));
    QVERIFY(model->setData(model->index(0, PricingModel::OutputColumn), QStringLiteral("$0.45")));
    QCOMPARE(model->prices().at(0).outputPerMtok, 0.45);
    model->insertPrice(2, PriceOverride{QStringLiteral("anthropic"), QStringLiteral("claude-haiku-4-5"), 0.9, 4.5, 0.09});
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(2, PricingModel::ShippedColumn).data().toString(), QStringLiteral("$1 / $5"));

    QSignalSpy saves(&link, &EngineLink::configSaveRequested);
    dialog.save();
    QCOMPARE(saves.count(), 1);
    const Config sent = saves.constFirst().at(0).value<Config>();
    QCOMPARE(sent.pricing.size(), 3);
    QCOMPARE(sent.pricing.at(0).outputPerMtok, 0.45);
    QCOMPARE(sent.pricing.at(2).model, QStringLiteral("claude-haiku-4-5"));
    link.onConfigSaved(saves.constFirst().at(1).toULongLong(), {});
    QVERIFY(dialog.statusText().startsWith(QLatin1String("Saved")));
}

void TestCostsPage::groupByBucketAndRangeRequery()
{
    const qint64 since30 = m_page->shownQuery().sinceMs;
    QCOMPARE(m_page->shownQuery().by, QStringLiteral("alias"));
    QVERIFY(m_page->shownQuery().byDay);
    QCOMPARE(m_page->chart()->seriesNames().size(), groupsSince(QStringLiteral("alias"), since30).size());

    auto *groupBy = m_page->findChild<QComboBox *>(QStringLiteral("groupByCombo"));
    for (const QString &by : {QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("client")}) {
        QVERIFY(reload([&] { groupBy->setCurrentIndex(groupBy->findData(by)); }));
        QCOMPARE(m_page->shownQuery().by, by);
        QCOMPARE(m_page->chart()->seriesNames().size(), groupsSince(by, since30).size());
        QCOMPARE(m_page->dayModel()->totals().requests, m_sums.requests);
    }

    auto *bucket = m_page->findChild<QComboBox *>(QStringLiteral("bucketCombo"));
    QVERIFY(reload([&] { bucket->setCurrentIndex(bucket->findData(false)); }));
    QVERIFY(!m_page->shownQuery().byDay);
    QVERIFY(m_page->shownRows().size() > 24 * 29); // hourly buckets: far more rows than days
    QCOMPARE(m_page->dayModel()->totals().requests, m_sums.requests);
    QVERIFY(m_page->dayModel()->rowCount() <= 31); // the table stays per day

    // Today: hour buckets by default, and only the groups seen since midnight.
    QVERIFY(reload([this] { m_page->setRange(CostsPage::Range::Today); }));
    const qint64 midnight = QDateTime(QDate::currentDate(), QTime(0, 0)).toMSecsSinceEpoch();
    QCOMPARE(m_page->shownQuery().sinceMs, midnight);
    QVERIFY(!m_page->shownQuery().byDay);
    Sums today;
    for (const CallRecord &r : std::as_const(m_records)) {
        if (r.startedAt.toMSecsSinceEpoch() >= midnight)
            today.add(r);
    }
    QCOMPARE(m_page->dayModel()->totals().requests, today.requests);
    QCOMPARE(m_page->chart()->seriesNames().size(), groupsSince(QStringLiteral("client"), midnight).size());

    QVERIFY(reload([this] { m_page->setRange(CostsPage::Range::SevenDays); }));
    QVERIFY(m_page->shownQuery().byDay);
    QVERIFY(qAbs(m_page->shownQuery().sinceMs - (QDateTime::currentMSecsSinceEpoch() - 7 * 24 * 3600000LL)) < 60000);
    QVERIFY(m_page->dayModel()->totals().requests < m_sums.requests);
}

void TestCostsPage::manyGroupsEndInOther()
{
    auto *groupBy = m_page->findChild<QComboBox *>(QStringLiteral("groupByCombo"));
    QVERIFY(reload([&] { groupBy->setCurrentIndex(groupBy->findData(QStringLiteral("project"))); }));
    QCOMPARE(groupsSince(QStringLiteral("project"), m_page->shownQuery().sinceMs).size(), s_projects.size());
    const QStringList names = m_page->chart()->seriesNames();
    QCOMPARE(names.size(), StackedBuckets::MaxGroups + 1);
    QCOMPARE(names.last(), QStringLiteral("other"));
    QVERIFY(s_projects.contains(names.first())); // shown by folder name
    auto *plot = m_page->chart()->findChild<QCustomPlot *>(QStringLiteral("costPlot"));
    int bars = 0;
    for (int i = 0; i < plot->plottableCount(); ++i)
        bars += qobject_cast<QCPBars *>(plot->plottable(i)) ? 1 : 0;
    QCOMPARE(bars, names.size());

    // Tokens instead of cost: the same groups, no new query.
    auto *metric = m_page->findChild<QComboBox *>(QStringLiteral("metricCombo"));
    QSignalSpy loaded(m_page.get(), &CostsPage::statsLoaded);
    metric->setCurrentIndex(metric->findData(int(CostChart::Metric::Tokens)));
    QCOMPARE(m_page->chart()->seriesNames().size(), StackedBuckets::MaxGroups + 1);
    QCOMPARE(plot->yAxis->label(), QStringLiteral("Tokens"));
    QCOMPARE(loaded.count(), 0);
}

void TestCostsPage::tooltipNamesBucketGroupAndValue()
{
    auto *plot = m_page->chart()->findChild<QCustomPlot *>(QStringLiteral("costPlot"));
    QCPBars *bottom = nullptr;
    for (int i = 0; i < plot->plottableCount() && !bottom; ++i)
        bottom = qobject_cast<QCPBars *>(plot->plottable(i));
    QVERIFY(bottom);
    QVERIFY(!bottom->data()->isEmpty());
    const QCPBarsData top = *std::max_element(bottom->data()->constBegin(), bottom->data()->constEnd(),
                                               [](const QCPBarsData &a, const QCPBarsData &b) { return a.value < b.value; });
    const QPoint onBar(qRound(plot->xAxis->coordToPixel(top.key)), qRound(plot->yAxis->coordToPixel(top.value / 2)));
    const QString tip = m_page->chart()->describeAt(onBar);
    const QDate day = QDateTime::fromMSecsSinceEpoch(qint64(top.key * 1000), Qt::UTC).date();
    QVERIFY2(tip.contains(QLocale().toString(day, QStringLiteral("ddd d MMM yyyy"))), qPrintable(tip));
    QVERIFY2(tip.contains(bottom->name() + QStringLiteral(": ") + TraceFormat::cost(top.value)), qPrintable(tip));
    QVERIFY2(tip.contains(QLatin1String("All groups: $")), qPrintable(tip));

    QCPAxisRect *latency = plot->axisRects().at(1);
    const QPoint onLine(onBar.x(), latency->center().y());
    const QString latencyTip = m_page->chart()->describeAt(onLine);
    QVERIFY2(latencyTip.contains(QLatin1String("p50")) && latencyTip.contains(QLatin1String("p95")), qPrintable(latencyTip));
    QCOMPARE(m_page->chart()->describeAt(QPoint(2, 2)), QString());
}

void TestCostsPage::exportsCsv()
{
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany)); // decimal commas must not leak into the file
    const QString path = m_dir.filePath(QStringLiteral("costs.csv"));
    const Result<bool> written = m_page->exportCsv(path);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.first(), QByteArray("bucket_start_utc,bucket_end_utc,alias,requests,errors,prompt_tokens,completion_tokens,"
                                       "cached_tokens,cost_usd,unpriced,p50_ms,p95_ms"));
    QCOMPARE(lines.last(), QByteArray());
    QCOMPARE(lines.size() - 2, m_page->shownRows().size());
    Sums sums;
    QSet<QString> groups;
    qint64 previousStart = 0;
    for (int i = 1; i < lines.size() - 1; ++i) {
        const QList<QByteArray> f = lines[i].split(',');
        QCOMPARE(f.size(), 12);
        QVERIFY(f[0].endsWith('Z'));
        const QDateTime start = QDateTime::fromString(QString::fromLatin1(f[0]), Qt::ISODate);
        const QDateTime end = QDateTime::fromString(QString::fromLatin1(f[1]), Qt::ISODate);
        QVERIFY(start.isValid() && start.timeSpec() == Qt::UTC);
        QCOMPARE(start.secsTo(end), 24 * 3600);
        QVERIFY(start.toMSecsSinceEpoch() >= previousStart);
        previousStart = start.toMSecsSinceEpoch();
        groups.insert(QString::fromUtf8(f[2]));
        bool ok = false;
        sums.requests += f[3].toLongLong(&ok);
        QVERIFY(ok);
        sums.errors += f[4].toLongLong();
        sums.prompt += f[5].toLongLong();
        sums.completion += f[6].toLongLong();
        sums.cached += f[7].toLongLong();
        sums.cost += f[8].toDouble(&ok);
        QVERIFY2(ok, f[8].constData());
        sums.unpriced += f[9].toLongLong();
        QVERIFY(f[11].isEmpty() || f[11].toDouble() >= f[10].toDouble());
    }
    QCOMPARE(sums.requests, m_sums.requests);
    QCOMPARE(sums.errors, m_sums.errors);
    QCOMPARE(sums.prompt, m_sums.prompt);
    QCOMPARE(sums.completion, m_sums.completion);
    QCOMPARE(sums.cached, m_sums.cached);
    QCOMPARE(sums.unpriced, m_sums.unpriced);
    QVERIFY(qAbs(sums.cost - m_sums.cost) < 1e-6 * double(lines.size()));
    QCOMPARE(groups, groupsSince(QStringLiteral("alias"), 0));
}

void TestCostsPage::exportsPng()
{
    const QString path = m_dir.filePath(QStringLiteral("costs.png"));
    QVERIFY(m_page->exportPng(path));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 600 && image.height() >= 300);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 9) {
        for (int x = 0; x < image.width(); x += 9)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY(colours.size() > 5); // bars, axes and text, not a blank canvas
}

void TestCostsPage::emptyRangeSaysSo()
{
    const QDateTime from(QDate(2001, 3, 1), QTime(0, 0));
    QVERIFY(reload([&] { m_page->setCustomRange(from, from.addDays(2)); }));
    QCOMPARE(m_page->shownQuery().sinceMs, from.toMSecsSinceEpoch());
    QCOMPARE(m_page->chart()->message(), QStringLiteral("No requests in this range"));
    QVERIFY(m_page->chart()->seriesNames().isEmpty());
    QCOMPARE(m_page->dayModel()->rowCount(), 0);
    QCOMPARE(figure("totalRequests"), QStringLiteral("0"));
    QCOMPARE(figure("errorRate"), QStringLiteral("—"));
    QCOMPARE(m_page->chart()->describeAt(QPoint(600, 200)), QString());
    const QString path = m_dir.filePath(QStringLiteral("empty.csv"));
    QVERIFY(m_page->exportCsv(path).ok());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 1); // the header only

    QVERIFY(reload([this] { m_page->setRange(CostsPage::Range::ThirtyDays); }));
    QCOMPARE(m_page->chart()->message(), QString());
}

void TestCostsPage::screenshot()
{
    QCOMPARE(m_page->shownQuery().by, QStringLiteral("alias"));
    QCoreApplication::processEvents(); // let the headline's layout catch up with its new figures
    const QImage image = m_page->grab().toImage();
    QVERIFY(!image.isNull());
    const QString dir = qEnvironmentVariable("SWITCHYARD_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("costs.png"))));
    }
}

void TestCostsPage::liveCallsRefreshAtMostEveryTwoSeconds()
{
    Test::SyntheticCalls calls(99);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<CallRecord> fresh = calls.generate(40, now - 30000, now - 1000);
    m_writer->append(fresh);
    m_writer->flush();
    QSignalSpy loaded(m_page.get(), &CostsPage::statsLoaded);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 4; ++i)
        m_link->onCallsFinished(fresh.mid(i * 10, 10));
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 10000);
    QVERIFY(clock.elapsed() >= 1900);
    QCOMPARE(loaded.count(), 1); // four batches, one query
    QCOMPARE(m_page->dayModel()->totals().requests, m_sums.requests + fresh.size());

    // A hidden page does not query; it catches up when shown again.
    m_page->hide();
    m_link->onCallsFinished(fresh);
    QVERIFY(reload([this] { m_page->show(); }));
    QCOMPARE(loaded.count(), 2);
}

QTEST_MAIN(TestCostsPage)
#include "tst_CostsPage.moc"
