// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/EvaluationResultsModel.h"
#include "ui/SemanticColours.h"
#include "ui/routes/EvaluationFormat.h"
#include <QJsonArray>

namespace Switchyard {

namespace {

std::optional<qint64> optionalInt(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<qint64>(v.toInteger()) : std::nullopt;
}

std::optional<double> optionalDouble(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

// Lower is better for both deltas: green when the candidate saves, amber when it costs more.
QVariant deltaColour(double delta)
{
    using SemanticColours::Tone;
    if (delta == 0)
        return {};
    return SemanticColours::colour(delta < 0 ? Tone::Ok : Tone::Warning);
}

} // namespace

EvaluationResultsModel::EvaluationResultsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int EvaluationResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EvaluationResultsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvaluationResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const auto column = Column(index.column());
    using SemanticColours::Tone;
    switch (role) {
    case Qt::DisplayRole: return display(r, column);
    case SortRole: return sortValue(r, column);
    case RequestIdRole: return r.request.original.requestId;
    case Qt::TextAlignmentRole:
        if (column == LatencyDeltaColumn || column == CostDeltaColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (column == RequestColumn)
            return tr("%1 %2%3").arg(r.request.endpoint, r.request.original.requestId, r.request.stream ? tr(" (streamed)") : QString());
        return {};
    case Qt::ForegroundRole:
        if (column == OriginalColumn && !r.request.original.ok)
            return SemanticColours::colour(Tone::Error);
        if (column == CandidateColumn && r.request.candidate && !r.request.candidate->ok)
            return SemanticColours::colour(Tone::Error);
        if (column == LatencyDeltaColumn && r.latencyDeltaMs)
            return deltaColour(double(*r.latencyDeltaMs));
        if (column == CostDeltaColumn && r.costDeltaUsd)
            return deltaColour(*r.costDeltaUsd);
        if (column == ChangedColumn && r.answerChanged)
            return SemanticColours::colour(Tone::Warning);
        return {};
    default: return {};
    }
}

QVariant EvaluationResultsModel::display(const Row &r, Column column) const
{
    const std::optional<EvaluatedCall> &candidate = r.request.candidate;
    switch (column) {
    case RequestColumn: return r.request.original.requestId;
    case OriginalColumn: return EvaluationFormat::outcome(r.request.original);
    case CandidateColumn: return candidate ? EvaluationFormat::outcome(*candidate) : tr("waiting…");
    case LatencyDeltaColumn: return r.latencyDeltaMs ? EvaluationFormat::signedMs(*r.latencyDeltaMs) : QStringLiteral("—");
    case CostDeltaColumn: return r.costDeltaUsd ? EvaluationFormat::signedCost(*r.costDeltaUsd) : QStringLiteral("—");
    case ChangedColumn: return !candidate ? QStringLiteral("—") : r.answerChanged ? tr("changed") : tr("same");
    case ColumnCount: break;
    }
    return {};
}

// Rows without a figure (not replayed yet, unpriced) sort after every number.
QVariant EvaluationResultsModel::sortValue(const Row &r, Column column) const
{
    const std::optional<EvaluatedCall> &candidate = r.request.candidate;
    switch (column) {
    case RequestColumn: return r.request.original.requestId;
    case OriginalColumn: return r.request.original.status;
    case CandidateColumn: return candidate ? QVariant(candidate->status) : QVariant();
    case LatencyDeltaColumn: return r.latencyDeltaMs ? QVariant(*r.latencyDeltaMs) : QVariant();
    case CostDeltaColumn: return r.costDeltaUsd ? QVariant(*r.costDeltaUsd) : QVariant();
    case ChangedColumn: return candidate ? QVariant(r.answerChanged ? 1 : 0) : QVariant();
    case ColumnCount: break;
    }
    return {};
}

QVariant EvaluationResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole && (section == LatencyDeltaColumn || section == CostDeltaColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && (section == LatencyDeltaColumn || section == CostDeltaColumn))
        return tr("Candidate minus recorded: below zero, the candidate was faster or cheaper");
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case RequestColumn: return tr("Request");
    case OriginalColumn: return tr("Recorded");
    case CandidateColumn: return tr("Candidate");
    case LatencyDeltaColumn: return tr("Latency Δ");
    case CostDeltaColumn: return tr("Cost Δ");
    case ChangedColumn: return tr("Answer");
    case ColumnCount: break;
    }
    return {};
}

void EvaluationResultsModel::setReport(const QJsonObject &report)
{
    QList<Row> rows;
    const QJsonArray results = report.value(QLatin1String("results")).toArray();
    rows.reserve(results.size());
    for (const QJsonValue &result : results)
        rows.append(rowOf(result.toObject()));
    const bool sameRequests =
        rows.size() == m_rows.size() && std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(), [](const Row &a, const Row &b) {
            return a.request.original.requestId == b.request.original.requestId;
        });
    if (!sameRequests) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows); // the same requests, further along
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void EvaluationResultsModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

EvaluatedCall EvaluationResultsModel::callOf(const QJsonObject &side)
{
    EvaluatedCall c;
    c.requestId = side.value(QLatin1String("request_id")).toString();
    c.provider = side.value(QLatin1String("provider")).toString();
    c.model = side.value(QLatin1String("model")).toString();
    c.status = side.value(QLatin1String("status")).toInt();
    c.ok = side.value(QLatin1String("outcome")).toString() == QLatin1String("ok");
    c.errorClass = side.value(QLatin1String("error_class")).toString();
    c.durationMs = side.value(QLatin1String("latency_ms")).toInteger();
    c.ttftMs = optionalInt(side.value(QLatin1String("ttft_ms")));
    c.promptTokens = optionalInt(side.value(QLatin1String("prompt_tokens")));
    c.completionTokens = optionalInt(side.value(QLatin1String("completion_tokens")));
    c.costUsd = optionalDouble(side.value(QLatin1String("cost_usd")));
    c.answer = Answer::fromJson(side.value(QLatin1String("answer")).toObject());
    return c;
}

EvaluationResultsModel::Row EvaluationResultsModel::rowOf(const QJsonObject &result)
{
    Row row;
    row.request.original = callOf(result.value(QLatin1String("original")).toObject());
    if (const QJsonValue candidate = result.value(QLatin1String("candidate")); candidate.isObject())
        row.request.candidate = callOf(candidate.toObject());
    row.request.endpoint = result.value(QLatin1String("endpoint")).toString();
    row.request.stream = result.value(QLatin1String("stream")).toBool();
    row.answerChanged = result.value(QLatin1String("answer_changed")).toBool();
    row.latencyDeltaMs = optionalInt(result.value(QLatin1String("latency_delta_ms")));
    row.costDeltaUsd = optionalDouble(result.value(QLatin1String("cost_delta_usd")));
    return row;
}

} // namespace Switchyard
