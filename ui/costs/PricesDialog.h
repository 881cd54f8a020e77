// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QLabel;
class QTableView;
class QUndoStack;

namespace Switchyard {

class EngineLink;
class PricingModel;

// Costs → Prices…: the config's price entries as an editable table beside the shipped price
// of each model, with add, remove and undo; Save writes them to the config (live, like Apply
// in Routes). Prices count for calls from then on; the log keeps what calls cost when made.
class PricesDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit PricesDialog(EngineLink *link, QWidget *parent = nullptr);

    PricingModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString statusText() const;

public Q_SLOTS:
    void addPrice();
    void removeSelected();
    void save();

private:
    void onConfigSaved(quint64 ticket, const QStringList &errors);

    EngineLink *m_link;
    QUndoStack *m_undo;
    PricingModel *m_model;
    QTableView *m_table;
    QLabel *m_status;
    quint64 m_ticket = 0;
};

} // namespace Switchyard
