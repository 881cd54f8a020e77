// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/pricing/PriceTable.h"
#include "ui/routes/RouteRowsModel.h"

namespace Switchyard {

// The config's own prices (the `pricing` overrides), edited in the window: provider, model,
// USD per million input, output and cached input tokens, with the price shipped in the
// resources beside each (read-only) so the user sees what an entry replaces. Edits, adds and
// removes go onto the undo stack.
class PricingModel final : public RouteRowsModel<PriceOverride>
{
    Q_OBJECT
public:
    enum Column { ProviderColumn, ModelColumn, InputColumn, OutputColumn, CachedColumn, ShippedColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit PricingModel(QObject *parent = nullptr);

    void setPrices(const QList<PriceOverride> &prices) { setRows(prices); } // a reset, not undoable
    const QList<PriceOverride> &prices() const { return localRows(); }
    void insertPrice(int row, const PriceOverride &price);
    void removePrice(int row);
    static bool assign(PriceOverride &price, int column, const QVariant &value);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    int columns() const override { return ColumnCount; }
    QString columnTitle(int column) const override;
    bool isEditable(int column) const override { return column != ShippedColumn; }
    bool assignCell(PriceOverride &price, int column, const QVariant &value) const override { return assign(price, column, value); }
    QString editText(const PriceOverride &price, const QString &what) const override;

private:
    QVariant shippedData(const PriceOverride &price, int role) const;

    PriceTable m_shipped;
};

} // namespace Switchyard
