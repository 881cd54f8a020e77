// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/RowTable.h"
#include <QHeaderView>
#include <QTreeView>

namespace Switchyard {

QTreeView *makeRowTable(QAbstractItemModel *model, const QString &objectName, const QList<int> &widths, QWidget *parent)
{
    auto *view = new QTreeView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->header()->setStretchLastSection(true);
    for (int c = 0; c < widths.size(); ++c)
        view->header()->resizeSection(c, widths.at(c));
    return view;
}

} // namespace Switchyard
