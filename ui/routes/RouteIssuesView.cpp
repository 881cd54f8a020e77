// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RouteIssuesView.h"
#include <QStyle>

namespace Switchyard {

RouteIssuesView::RouteIssuesView(QWidget *parent)
    : QListWidget(parent)
{
    setObjectName(QStringLiteral("issuesList"));
    setWordWrap(true);
    setUniformItemSizes(false);
    setIconSize(QSize(16, 16));
    setSelectionMode(QAbstractItemView::SingleSelection);
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const int at = item->data(Qt::UserRole).toInt();
        if (at >= 0 && at < m_issues.size())
            Q_EMIT issueActivated(m_issues.at(at));
    });
    setIssues({});
}

void RouteIssuesView::setIssues(const QList<ConfigIssue> &issues)
{
    m_issues = issues;
    clear();
    if (issues.isEmpty()) {
        auto *item = new QListWidgetItem(style()->standardIcon(QStyle::SP_DialogApplyButton),
                                         tr("No problems: the routes are valid."), this);
        item->setData(Qt::UserRole, -1);
        item->setFlags(Qt::ItemIsEnabled);
        return;
    }
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < issues.size(); ++i) {
        auto *item = new QListWidgetItem(warning, issues.at(i).message, this);
        item->setData(Qt::UserRole, i);
        item->setToolTip(tr("Double-click to show the cell"));
    }
}

QStringList RouteIssuesView::messages() const
{
    QStringList list;
    for (const ConfigIssue &issue : m_issues)
        list.append(issue.message);
    return list;
}

} // namespace Switchyard
