// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/costs/PricingModel.h"
#include "ui/SemanticColours.h"

namespace Switchyard {

namespace {

QString perMtok(double usd)
{
    return QStringLiteral("$%1").arg(QString::number(usd, 'g', 6));
}

} // namespace

PricingModel::PricingModel(QObject *parent)
    : RouteRowsModel(parent)
    , m_shipped(PriceTable::builtIn())
{
}

void PricingModel::insertPrice(int row, const PriceOverride &price)
{
    insertUndoable(row, price, tr("Add the price of %1/%2").arg(price.provider, price.model));
}

void PricingModel::removePrice(int row)
{
    if (row >= 0 && row < rowCount())
        removeUndoable(row, tr("Remove the price of %1/%2").arg(prices().at(row).provider, prices().at(row).model));
}

QString PricingModel::editText(const PriceOverride &price, const QString &what) const
{
    return tr("Edit the price of %1/%2: %3").arg(price.provider, price.model, what);
}

bool PricingModel::assign(PriceOverride &price, int column, const QVariant &value)
{
    const QString text = value.toString().trimmed().remove(QLatin1Char('$'));
    bool ok = false;
    const double usd = text.toDouble(&ok);
    switch (column) {
    case ProviderColumn: price.provider = text; return true;
    case ModelColumn: price.model = text; return true;
    case InputColumn:
        if (!ok || usd < 0)
            return false;
        price.inputPerMtok = usd;
        return true;
    case OutputColumn:
        if (!ok || usd < 0)
            return false;
        price.outputPerMtok = usd;
        return true;
    case CachedColumn:
        if (text.isEmpty()) {
            price.cachedInputPerMtok.reset(); // billed as input
            return true;
        }
        if (!ok || usd < 0)
            return false;
        price.cachedInputPerMtok = usd;
        return true;
    default: return false;
    }
}

QVariant PricingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const PriceOverride &p = prices().at(index.row());
    if (index.column() == ShippedColumn)
        return shippedData(p, role);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= InputColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != SortRole)
        return QVariant();
    const bool display = role == Qt::DisplayRole;
    switch (index.column()) {
    case ProviderColumn: return p.provider;
    case ModelColumn: return p.model;
    case InputColumn: return display ? QVariant(perMtok(p.inputPerMtok)) : QVariant(p.inputPerMtok);
    case OutputColumn: return display ? QVariant(perMtok(p.outputPerMtok)) : QVariant(p.outputPerMtok);
    case CachedColumn:
        if (!p.cachedInputPerMtok)
            return display ? QVariant(tr("as input")) : role == SortRole ? QVariant(p.inputPerMtok) : QVariant(QString());
        return display ? QVariant(perMtok(*p.cachedInputPerMtok)) : QVariant(*p.cachedInputPerMtok);
    default: return QVariant();
    }
}

QVariant PricingModel::shippedData(const PriceOverride &p, int role) const
{
    const std::optional<PriceTable::Price> shipped = m_shipped.find(p.provider, p.model);
    switch (role) {
    case Qt::DisplayRole:
        return shipped ? tr("%1 / %2").arg(perMtok(shipped->inputPerMtok), perMtok(shipped->outputPerMtok)) : tr("not listed");
    case SortRole: return shipped ? QVariant(shipped->inputPerMtok) : QVariant();
    case Qt::ForegroundRole: return SemanticColours::colour(SemanticColours::Tone::Muted);
    case Qt::ToolTipRole:
        return shipped ? tr("The price shipped with Switchyard (%1, read %2); this entry replaces it.").arg(shipped->source, shipped->date)
                       : tr("Switchyard ships no price for this model: without this entry its calls are unpriced.");
    default: return QVariant();
    }
}

QString PricingModel::columnTitle(int column) const
{
    switch (column) {
    case ProviderColumn: return tr("Provider");
    case ModelColumn: return tr("Model");
    case InputColumn: return tr("Input $/Mtok");
    case OutputColumn: return tr("Output $/Mtok");
    case CachedColumn: return tr("Cached input $/Mtok");
    case ShippedColumn: return tr("Shipped price (in / out)");
    default: return QString();
    }
}

} // namespace Switchyard
