// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QList>
#include <QString>

class QAbstractItemModel;
class QTreeView;
class QWidget;

namespace Switchyard {

// A read-only list of rows in a QTreeView, as the Failures and Sessions pages show them: no
// tree decoration, whole rows selected one at a time, alternating row colours, the columns at
// `widths` and the last one stretched.
QTreeView *makeRowTable(QAbstractItemModel *model, const QString &objectName, const QList<int> &widths, QWidget *parent);

} // namespace Switchyard
