// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace Switchyard {

// One problem the config loader found, placed on the cell of the routes tables it is about.
struct ConfigIssue
{
    enum class Table { None, Providers, Aliases, Targets };

    QString message;   // as the loader words it: "aliases[1].targets[0].provider: unknown provider …"
    Table table = Table::None;
    int aliasRow = -1; // Targets: the alias the target belongs to
    int row = -1;
    int column = -1;   // a column of that table's model
};

// Reads the JSON path at the head of each loader message ("providers[2].base_url: …") and
// maps it to a model, row and column, so the tables can mark the cells at fault.
class ConfigIssueParser final
{
public:
    static QList<ConfigIssue> parse(const QStringList &messages);

    // BackgroundRole (a red tint), DecorationRole (a warning icon) or ToolTipRole (the
    // messages) of a cell with issues; an invalid QVariant for other roles or a cell without.
    static QVariant cellData(const QList<ConfigIssue> &issues, ConfigIssue::Table table, int aliasRow, int row,
                             int column, int role);
    static QVariant cellData(const QStringList &messages, int role);
};

} // namespace Switchyard
