// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <optional>

namespace Switchyard {

// The router's current ranking of one alias's targets, from the JSON of a RoutePlan: the
// order it would try them now, each with its state (healthy, probing, cooling down until …),
// recent latency, weight and the reason for its place.
class RouteRankingModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { RankColumn, TargetColumn, StateColumn, LatencyColumn, WeightColumn, ReasonColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit RouteRankingModel(QObject *parent = nullptr);

    void setPlan(const QJsonObject &plan);
    // Providers whose key is missing: their targets show "no key", not "healthy" (set before setPlan).
    void setProvidersWithoutKey(const QStringList &providers) { m_withoutKey = providers; }
    void clear();
    QString strategy() const { return m_strategy; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Candidate
    {
        QString provider;
        QString model;
        QString state; // "healthy", "probing", "cooling_down", "no_key"
        bool skip = false;
        std::optional<double> latencyMs;
        std::optional<double> weight;
        QDateTime cooldownUntil;
        QString reason;
    };

    QVariant displayData(const Candidate &c, int row, int column) const;
    QVariant sortData(const Candidate &c, int row, int column) const;
    static QVariant stateColor(const Candidate &c);
    static QString localTimes(QString text);

    QList<Candidate> m_candidates;
    QStringList m_withoutKey;
    QString m_strategy;
};

} // namespace Switchyard
