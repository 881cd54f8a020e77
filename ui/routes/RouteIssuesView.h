// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/routes/ConfigIssueParser.h"
#include <QListWidget>

namespace Switchyard {

// The problems panel of the routes page: each loader message with a warning icon, or a
// single "no problems" line. Activating a message asks for its cell to be shown.
class RouteIssuesView final : public QListWidget
{
    Q_OBJECT
public:
    explicit RouteIssuesView(QWidget *parent = nullptr);

    void setIssues(const QList<ConfigIssue> &issues);
    QStringList messages() const;

Q_SIGNALS:
    void issueActivated(const Switchyard::ConfigIssue &issue);

private:
    QList<ConfigIssue> m_issues;
};

} // namespace Switchyard
