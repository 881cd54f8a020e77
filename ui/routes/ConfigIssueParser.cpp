// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ConfigIssueParser.h"
#include "ui/routes/AliasesModel.h"
#include "ui/routes/ProvidersModel.h"
#include "ui/routes/TargetsModel.h"
#include <QApplication>
#include <QColor>
#include <QStyle>
#include <QRegularExpression>

namespace Switchyard {

QList<ConfigIssue> ConfigIssueParser::parse(const QStringList &messages)
{
    // An optional file prefix ("config.json: "), then the path of the field at fault.
    static const QRegularExpression path(QStringLiteral(
        R"(^(?:.*?\.json: )?(providers|aliases)\[(\d+)\](?:\.targets\[(\d+)\])?(?:\.(\w+))?[.:])"));
    QList<ConfigIssue> issues;
    for (const QString &message : messages) {
        ConfigIssue issue;
        issue.message = message;
        const QRegularExpressionMatch m = path.match(message);
        if (m.hasMatch()) {
            const int index = m.captured(2).toInt();
            const QString field = m.captured(4);
            if (m.captured(1) == QLatin1String("providers")) {
                issue.table = ConfigIssue::Table::Providers;
                issue.row = index;
                issue.column = ProvidersModel::columnForField(field);
            } else if (m.capturedLength(3) > 0) {
                issue.table = ConfigIssue::Table::Targets;
                issue.aliasRow = index;
                issue.row = m.captured(3).toInt();
                issue.column = TargetsModel::columnForField(field);
            } else {
                issue.table = ConfigIssue::Table::Aliases;
                issue.row = index;
                issue.column = AliasesModel::columnForField(field);
            }
        }
        issues.append(issue);
    }
    return issues;
}

QVariant ConfigIssueParser::cellData(const QList<ConfigIssue> &issues, ConfigIssue::Table table, int aliasRow, int row,
                                     int column, int role)
{
    if (role != Qt::BackgroundRole && role != Qt::ToolTipRole && role != Qt::DecorationRole)
        return QVariant();
    QStringList messages;
    for (const ConfigIssue &issue : issues) {
        if (issue.table == table && issue.row == row && issue.column == column && issue.aliasRow == aliasRow)
            messages.append(issue.message);
    }
    return cellData(messages, role);
}

QVariant ConfigIssueParser::cellData(const QStringList &messages, int role)
{
    if (messages.isEmpty())
        return QVariant();
    if (role == Qt::BackgroundRole)
        return QColor(230, 60, 50, 70); // a tint that reads on light and dark palettes
    if (role == Qt::ToolTipRole)
        return messages.join(QLatin1Char('\n'));
    if (role == Qt::DecorationRole) // seen on a selected row too, where the tint is not
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    return QVariant();
}

} // namespace Switchyard
