// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QDialog>
#include <QJsonObject>
#include <QLabel>
#include <optional>

class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Switchyard {

class BaselinePicker;
class EngineLink;
class EvaluationAnswersView;
class EvaluationResultsModel;

// Routes → Evaluate: replays a baseline (recorded requests kept in the log) through the
// selected alias as edited, not applied, and compares: cost, latency, failures and which
// answers changed, request by request. The engine runs the evaluation; the dialog asks
// through the link and follows only the evaluation it started. Closing the dialog while it
// runs cancels the evaluation without asking (what finished is kept in the log as a partial
// report, GET /api/evaluations): an evaluation nobody watches only spends money.
class EvaluateDialog final : public QDialog
{
    Q_OBJECT
public:
    EvaluateDialog(EngineLink *link, const QString &aliasName, const QJsonObject &alias, QWidget *parent = nullptr);
    ~EvaluateDialog() override;

    // `name`'s alias object in `config` as the config file writes it; empty when there is none.
    static QJsonObject aliasJson(const Config &config, const QString &name);

    QString aliasName() const { return m_name; }
    QJsonObject alias() const { return m_alias; }
    BaselinePicker *baselines() const { return m_baselines; }
    QTableView *resultsView() const { return m_table; }
    EvaluationResultsModel *resultsModel() const { return m_model; }
    QSortFilterProxyModel *sortedResults() const { return m_sorted; }
    EvaluationAnswersView *answersView() const { return m_answers; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *applyButton() const { return m_apply; }
    QString estimateText() const { return m_estimate->text(); }
    QString summaryText() const { return m_summary->text(); }
    QString statusText() const { return m_status->text(); }
    QString evaluationId() const { return m_id; }
    QString state() const { return m_state; } // of the last report: running, done, cancelled, failed
    // The line at the bottom (RoutesPage tells there what became of "Apply this route").
    void setStatus(const QString &text, bool error = false);

public Q_SLOTS:
    // Starts at once (the Run button asks first when the estimate is over $1 or unknown).
    void run();
    void cancel();

Q_SIGNALS:
    void estimated();
    // The report of this dialog's evaluation changed (state() tells whether it ended).
    void reportChanged();
    // "Apply this route": the page applies its edited config.
    void applyRequested();

protected:
    void done(int result) override;

private:
    void estimate();
    void confirmAndRun();
    void onEstimated(quint64 ticket, const QJsonObject &estimate, const QStringList &errors);
    void onStarted(quint64 ticket, const QString &id, const QStringList &errors);
    void onChanged(const QJsonObject &report);
    void showSelected();
    void updateButtons();
    bool running() const { return m_startTicket != 0 || m_state == QLatin1String("running"); }

    EngineLink *m_link;
    QString m_name;
    QJsonObject m_alias;
    BaselinePicker *m_baselines;
    QLabel *m_estimate;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_summary;
    EvaluationResultsModel *m_model;
    QSortFilterProxyModel *m_sorted;
    QTableView *m_table;
    EvaluationAnswersView *m_answers;
    QPushButton *m_apply;
    QLabel *m_status;
    std::optional<double> m_estimateUsd;
    bool m_estimateKnown = false; // an answer without errors came for the baseline shown
    quint64 m_estimateTicket = 0;
    quint64 m_startTicket = 0;
    QString m_id;
    QString m_state;
    bool m_cancelSent = false;
};

} // namespace Switchyard
