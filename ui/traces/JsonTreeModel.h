// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAbstractItemModel>
#include <QJsonValue>
#include <memory>
#include <vector>

namespace Switchyard {

// A JSON document as a tree: one row per member or element, with its key, its value (objects
// and arrays summarised, long strings cut, the whole text in the tooltip) and its type.
// A body that is not JSON becomes one "text" row; a server-sent event stream becomes an
// array of its events, each with its parsed data.
class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole, // numbers as doubles, everything else as its display text
        PathRole,                // where the node sits, e.g. "messages[0].content"
    };
    enum class Kind { Empty, Json, EventStream, Text };
    static constexpr int MaxDisplayChars = 160;

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const QJsonValue &root);
    // Parses a body: JSON, an SSE stream ("data: …" events) or, failing both, plain text.
    void setBody(const QByteArray &body);
    void clear();
    Kind kind() const { return m_kind; }
    QString plainText() const { return m_text; }

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The events of a text/event-stream body, each {"event"?, "data"} with data parsed when it is JSON.
    static QJsonValue eventsFromSse(const QByteArray &body);

private:
    struct Node;
    static void build(Node &node, const QJsonValue &value);
    void reset(Kind kind, const QJsonValue &root, const QString &text);
    const Node *nodeAt(const QModelIndex &index) const;
    QVariant valueData(const Node &node, int role) const;

    std::unique_ptr<Node> m_root;
    Kind m_kind = Kind::Empty;
    QString m_text;
};

} // namespace Switchyard
