// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/EvaluateDialog.h"
#include "core/config/ConfigWriter.h"
#include "ui/EngineLink.h"
#include "ui/SemanticColours.h"
#include "ui/routes/BaselinePicker.h"
#include "ui/routes/EvaluationAnswersView.h"
#include "ui/routes/EvaluationFormat.h"
#include "ui/routes/EvaluationResultsModel.h"
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace Switchyard {

namespace {

constexpr double ConfirmAboveUsd = 1.0;

void showText(QLabel *label, const QString &text, bool error)
{
    label->setText(text);
    label->setStyleSheet(error ? QStringLiteral("QLabel { color: %1; }").arg(SemanticColours::css(SemanticColours::Tone::Error))
                               : QString());
}

} // namespace

EvaluateDialog::EvaluateDialog(EngineLink *link, const QString &aliasName, const QJsonObject &alias, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_name(aliasName)
    , m_alias(alias)
    , m_baselines(new BaselinePicker(link->reader(), this))
    , m_estimate(new QLabel(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_cancel(new QPushButton(tr("Cancel evaluation"), this))
    , m_progress(new QProgressBar(this))
    , m_summary(new QLabel(this))
    , m_model(new EvaluationResultsModel(this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_answers(new EvaluationAnswersView(this))
    , m_apply(new QPushButton(tr("Apply this route"), this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Evaluate alias %1").arg(aliasName));
    resize(1200, 800);
    auto *proposal = new QLabel(EvaluationFormat::alias(alias), this);
    proposal->setWordWrap(true);
    proposal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_estimate->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Proposed route:"), proposal);
    form->addRow(tr("Baseline:"), m_baselines);
    form->addRow(tr("Estimate:"), m_estimate);

    m_progress->setFormat(tr("%v of %m requests"));
    m_progress->hide();
    m_cancel->hide();
    m_run->setDefault(true);
    m_run->setToolTip(tr("Replay the baseline's requests through the proposed route; the calls are billed by the providers"));
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_cancel);
    runRow->addWidget(m_progress, 1);
    runRow->addStretch(0);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("evaluationSummary"));
    m_summary->setFrameShape(QFrame::StyledPanel);
    m_summary->setMargin(6);
    m_summary->hide(); // until there is a report

    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(EvaluationResultsModel::SortRole);
    m_table->setModel(m_sorted);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // the baseline's order until a header is clicked
    m_table->setSortingEnabled(true);
    const QList<int> widths{300, 250, 250, 100, 100};
    for (int column = 0; column < widths.size(); ++column)
        m_table->horizontalHeader()->resizeSection(column, widths.at(column));
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_answers);
    split->setChildrenCollapsible(false);
    split->setSizes({330, 270});

    m_apply->setEnabled(false);
    m_apply->setToolTip(tr("Apply the edited routes, as Routes → Apply does"));
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(runRow);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_baselines, &BaselinePicker::currentChanged, this, &EvaluateDialog::estimate);
    connect(m_baselines, &BaselinePicker::listed, this, [this] {
        if (!m_baselines->problem().isEmpty())
            setStatus(m_baselines->problem(), true);
    });
    connect(m_run, &QPushButton::clicked, this, &EvaluateDialog::confirmAndRun);
    connect(m_cancel, &QPushButton::clicked, this, &EvaluateDialog::cancel);
    connect(m_apply, &QPushButton::clicked, this, &EvaluateDialog::applyRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EvaluateDialog::showSelected);
    connect(m_link, &EngineLink::evaluationEstimated, this, &EvaluateDialog::onEstimated);
    connect(m_link, &EngineLink::evaluationStarted, this, &EvaluateDialog::onStarted);
    connect(m_link, &EngineLink::evaluationChanged, this, &EvaluateDialog::onChanged);
    showSelected();
    estimate();
}

EvaluateDialog::~EvaluateDialog()
{
    cancel(); // deleted with its page, without being closed
}

QJsonObject EvaluateDialog::aliasJson(const Config &config, const QString &name)
{
    const QJsonArray aliases = ConfigWriter::toJson(config).value(QLatin1String("aliases")).toArray();
    const auto named = std::find_if(aliases.begin(), aliases.end(), [&name](const QJsonValue &a) {
        return a.toObject().value(QLatin1String("name")).toString() == name;
    });
    return named != aliases.end() ? (*named).toObject() : QJsonObject();
}

void EvaluateDialog::setStatus(const QString &text, bool error)
{
    showText(m_status, text, error);
}

void EvaluateDialog::estimate()
{
    m_estimateKnown = false;
    m_estimateUsd.reset();
    const QString baseline = m_baselines->current();
    m_estimateTicket = baseline.isEmpty() ? 0 : m_link->requestEvaluationEstimate(baseline, m_alias);
    showText(m_estimate, baseline.isEmpty() ? tr("Pick a baseline to see what replaying it costs.") : tr("Estimating…"), false);
    updateButtons();
}

void EvaluateDialog::onEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors)
{
    if (ticket != m_estimateTicket)
        return;
    m_estimateTicket = 0;
    m_estimateKnown = errors.isEmpty();
    const QJsonValue price = estimate.value(QLatin1String("usd"));
    m_estimateUsd = price.isDouble() ? std::optional<double>(price.toDouble()) : std::nullopt;
    showText(m_estimate, m_estimateKnown ? EvaluationFormat::estimate(estimate) : errors.join(QLatin1Char('\n')), !m_estimateKnown);
    updateButtons();
    Q_EMIT estimated();
}

void EvaluateDialog::confirmAndRun()
{
    const QString baseline = m_baselines->current();
    if (!m_estimateUsd || *m_estimateUsd > ConfirmAboveUsd) {
        const QString why = m_estimateUsd ? tr("Replaying baseline %1 through the proposed route should cost about %2.")
                                                .arg(baseline, EvaluationFormat::roughCost(*m_estimateUsd))
                                          : tr("What replaying baseline %1 through the proposed route costs is not known.").arg(baseline);
        const auto answer =
            QMessageBox::question(this, tr("Run the evaluation?"), why + QLatin1Char(' ') + tr("The providers bill these calls. Run it?"));
        if (answer != QMessageBox::Yes)
            return;
    }
    run();
}

void EvaluateDialog::run()
{
    const QString baseline = m_baselines->current();
    if (baseline.isEmpty() || running())
        return;
    m_id.clear();
    m_state.clear();
    m_cancelSent = false;
    m_startTicket = m_link->requestEvaluationStart(baseline, m_alias);
    setStatus(tr("Starting…"));
    updateButtons();
}

void EvaluateDialog::cancel()
{
    if (m_startTicket != 0) { // the id is not known yet: cancel it once the engine names it
        const quint64 ticket = std::exchange(m_startTicket, 0);
        EngineLink *link = m_link;
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(m_link, &EngineLink::evaluationStarted, m_link, [link, ticket, connection](quint64 t, const QString &id) {
            if (t != ticket)
                return;
            if (!id.isEmpty())
                link->requestEvaluationCancel(id);
            QObject::disconnect(*connection);
        });
    } else if (m_state == QLatin1String("running") && !m_cancelSent) {
        m_cancelSent = true;
        m_link->requestEvaluationCancel(m_id);
        setStatus(tr("Cancelling…"));
    }
}

void EvaluateDialog::done(int result)
{
    cancel();
    QDialog::done(result);
}

void EvaluateDialog::onStarted(quint64 ticket, const QString &id, const QStringList &errors)
{
    if (ticket != m_startTicket || m_startTicket == 0)
        return;
    m_startTicket = 0;
    if (!errors.isEmpty()) {
        setStatus(tr("Not started: %1").arg(errors.join(QLatin1Char('\n'))), true);
        updateButtons();
        return;
    }
    m_id = id;
    m_state = QStringLiteral("running");
    m_model->clear();
    setStatus(tr("Replaying the baseline through the proposed route…"));
    updateButtons();
}

void EvaluateDialog::onChanged(const QJsonObject &report)
{
    if (m_id.isEmpty() || report.value(QLatin1String("id")).toString() != m_id)
        return;
    m_state = report.value(QLatin1String("state")).toString();
    const int finished = report.value(QLatin1String("done")).toInt();
    const int total = report.value(QLatin1String("total")).toInt();
    m_progress->setRange(0, qMax(total, 1));
    m_progress->setValue(finished);
    m_model->setReport(report);
    if (!m_table->currentIndex().isValid() && m_sorted->rowCount() > 0)
        m_table->selectRow(0);
    showSelected();
    m_summary->setText(EvaluationFormat::summary(report));
    m_summary->show();
    if (m_state == QLatin1String("done"))
        setStatus(tr("Done: %1 replayed through the proposed route.").arg(EvaluationFormat::requests(finished)));
    else if (m_state == QLatin1String("cancelled"))
        setStatus(tr("Cancelled after %1 of %2 requests; the summary counts those.").arg(finished).arg(total));
    else if (m_state == QLatin1String("failed"))
        setStatus(tr("Failed: %1").arg(report.value(QLatin1String("error")).toString()), true);
    updateButtons();
    Q_EMIT reportChanged();
}

void EvaluateDialog::showSelected()
{
    const QModelIndex current = m_sorted->mapToSource(m_table->currentIndex());
    m_answers->showRequest(current.isValid() ? &m_model->row(current.row()).request : nullptr);
}

void EvaluateDialog::updateButtons()
{
    const bool busy = running();
    m_run->setEnabled(!busy && m_estimateKnown && m_baselines->count() > 0);
    m_run->setText(m_state.isEmpty() || busy ? tr("Run") : tr("Run again"));
    m_cancel->setVisible(busy);
    m_cancel->setEnabled(!m_id.isEmpty());
    m_progress->setVisible(busy || !m_state.isEmpty());
    m_baselines->setEnabled(!busy);
    m_apply->setEnabled(!busy && (m_state == QLatin1String("done") || m_state == QLatin1String("cancelled")));
}

} // namespace Switchyard
