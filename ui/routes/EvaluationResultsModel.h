// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/eval/EvaluationReport.h"
#include <QAbstractTableModel>
#include <QJsonObject>
#include <optional>

namespace Switchyard {

// The rows of an evaluation report (EvaluationReport::toJson with results): each recorded
// request against the candidate's replay of it, in the baseline's order. DisplayRole is the
// text a person reads ("+120 ms", "−$0.0012"), SortRole the number to sort by. Reports of a
// running evaluation replace the rows' values in place, so a selection survives them.
class EvaluationResultsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RequestColumn, OriginalColumn, CandidateColumn, LatencyDeltaColumn, CostDeltaColumn, ChangedColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, RequestIdRole };

    struct Row
    {
        EvaluatedRequest request;
        bool answerChanged = false;
        std::optional<qint64> latencyDeltaMs;
        std::optional<double> costDeltaUsd;
    };

    explicit EvaluationResultsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setReport(const QJsonObject &report);
    void clear();
    const Row &row(int row) const { return m_rows.at(row); }

    // One side of a result as a report writes it ("original" or "candidate").
    static EvaluatedCall callOf(const QJsonObject &side);
    static Row rowOf(const QJsonObject &result);

private:
    QVariant display(const Row &row, Column column) const;
    QVariant sortValue(const Row &row, Column column) const;

    QList<Row> m_rows;
};

} // namespace Switchyard
