// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/JsonTreeModel.h"
#include "ui/SemanticColours.h"
#include "core/stream/SseParser.h"
#include <QBrush>
#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace Switchyard {

struct JsonTreeModel::Node
{
    QString key;
    QString path;
    QJsonValue value;            // leaves only; containers keep their children
    QJsonValue::Type type = QJsonValue::Null;
    const Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
};

namespace {

QString typeName(QJsonValue::Type type)
{
    switch (type) {
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::Bool: return QStringLiteral("bool");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("text");
}

QString numberText(double d)
{
    if (std::floor(d) == d && std::fabs(d) < 1e15)
        return QString::number(qint64(d));
    return QString::number(d, 'g', 15);
}

QString oneLine(const QString &s, int maxChars)
{
    QString line = s.left(maxChars + 1);
    line.replace(QLatin1String("\r\n"), QStringLiteral("⏎ ")).replace(QLatin1Char('\n'), QStringLiteral("⏎ "));
    line.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (s.size() > maxChars)
        line = line.left(maxChars) + QStringLiteral("…");
    return line;
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::build(Node &node, const QJsonValue &value)
{
    node.type = value.type();
    auto addChild = [&node](const QString &key, const QString &path, const QJsonValue &v) {
        auto child = std::make_unique<Node>();
        child->key = key;
        child->path = path;
        child->parent = &node;
        child->row = int(node.children.size());
        build(*child, v);
        node.children.push_back(std::move(child));
    };
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            addChild(it.key(), node.path.isEmpty() ? it.key() : node.path + QLatin1Char('.') + it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            addChild(QStringLiteral("[%1]").arg(i), node.path + QStringLiteral("[%1]").arg(i), array.at(i));
    } else {
        node.value = value;
    }
}

void JsonTreeModel::reset(Kind kind, const QJsonValue &root, const QString &text)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_kind = kind;
    m_text = text;
    if (kind == Kind::Text) {
        auto child = std::make_unique<Node>();
        child->key = QStringLiteral("(text)");
        child->value = text;
        child->type = QJsonValue::Undefined;
        child->parent = m_root.get();
        m_root->children.push_back(std::move(child));
    } else if (kind != Kind::Empty) {
        build(*m_root, root);
    }
    endResetModel();
}

void JsonTreeModel::setJson(const QJsonValue &root)
{
    const QString text = root.isObject() ? QString::fromUtf8(QJsonDocument(root.toObject()).toJson())
                         : root.isArray() ? QString::fromUtf8(QJsonDocument(root.toArray()).toJson())
                                          : root.toVariant().toString();
    reset(Kind::Json, root, text);
}

void JsonTreeModel::setBody(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty()) {
        clear();
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray())) {
        reset(Kind::Json, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), QString::fromUtf8(doc.toJson()));
        return;
    }
    if (trimmed.startsWith("data:") || trimmed.startsWith("event:") || trimmed.startsWith("id:") || trimmed.startsWith(':')) {
        reset(Kind::EventStream, eventsFromSse(body), QString::fromUtf8(body));
        return;
    }
    reset(Kind::Text, QJsonValue(), QString::fromUtf8(body));
}

void JsonTreeModel::clear()
{
    reset(Kind::Empty, QJsonValue(), QString());
}

QJsonValue JsonTreeModel::eventsFromSse(const QByteArray &body)
{
    SseParser parser;
    QList<SseEvent> events = parser.feed(body);
    if (!parser.pending().trimmed().isEmpty())
        events += parser.feed(QByteArrayLiteral("\n\n")); // a stream cut before its last blank line
    QJsonArray array;
    for (const SseEvent &e : std::as_const(events)) {
        if (e.event.isEmpty() && e.data.isEmpty())
            continue; // comments and keep-alives
        QJsonObject object;
        if (!e.event.isEmpty())
            object.insert(QStringLiteral("event"), QString::fromUtf8(e.event));
        QJsonParseError error;
        const QJsonDocument data = QJsonDocument::fromJson(e.data, &error);
        if (error.error == QJsonParseError::NoError && data.isObject())
            object.insert(QStringLiteral("data"), data.object());
        else if (error.error == QJsonParseError::NoError && data.isArray())
            object.insert(QStringLiteral("data"), data.array());
        else
            object.insert(QStringLiteral("data"), QString::fromUtf8(e.data));
        array.append(object);
    }
    return array;
}

const JsonTreeModel::Node *JsonTreeModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return QModelIndex();
    const Node *node = nodeAt(parent);
    if (row >= int(node->children.size()))
        return QModelIndex();
    return createIndex(row, column, const_cast<Node *>(node->children[size_t(row)].get()));
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return QModelIndex();
    const Node *parent = nodeAt(child)->parent;
    if (!parent || parent == m_root.get())
        return QModelIndex();
    return createIndex(parent->row, 0, const_cast<Node *>(parent));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeAt(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::valueData(const Node &node, int role) const
{
    const bool container = node.type == QJsonValue::Object || node.type == QJsonValue::Array;
    if (role == Qt::DisplayRole || role == SortRole) {
        if (container) {
            const int n = int(node.children.size());
            if (node.type == QJsonValue::Object)
                return n == 1 ? tr("{…} 1 key") : tr("{…} %1 keys").arg(n);
            return n == 1 ? tr("[…] 1 item") : tr("[…] %1 items").arg(n);
        }
        if (node.type == QJsonValue::Double)
            return role == SortRole ? QVariant(node.value.toDouble()) : QVariant(numberText(node.value.toDouble()));
        if (node.type == QJsonValue::Bool)
            return node.value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        if (node.type == QJsonValue::Null)
            return QStringLiteral("null");
        return role == SortRole ? node.value.toString() : oneLine(node.value.toString(), MaxDisplayChars);
    }
    if (role == Qt::ToolTipRole && (node.type == QJsonValue::String || node.type == QJsonValue::Undefined))
        return QStringLiteral("<div style=\"white-space:pre-wrap\">%1</div>").arg(node.value.toString().left(20000).toHtmlEscaped());
    if (role == Qt::ForegroundRole) {
        switch (node.type) {
        case QJsonValue::String: return QBrush(SemanticColours::colour(SemanticColours::Tone::Ok));
        case QJsonValue::Double: return QBrush(SemanticColours::colour(SemanticColours::Tone::Info));
        case QJsonValue::Bool:
        case QJsonValue::Null: return QBrush(SemanticColours::colour(SemanticColours::Tone::Special));
        default: return QBrush(SemanticColours::colour(SemanticColours::Tone::Muted));
        }
    }
    return QVariant();
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const Node &node = *nodeAt(index);
    if (role == PathRole)
        return node.path;
    switch (index.column()) {
    case KeyColumn:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole)
            return role == Qt::ToolTipRole ? node.path : node.key;
        break;
    case ValueColumn:
        return valueData(node, role);
    case TypeColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return typeName(node.type);
        if (role == Qt::ForegroundRole)
            return QBrush(SemanticColours::colour(SemanticColours::Tone::Muted));
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case KeyColumn: return tr("Key");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    default: return QVariant();
    }
}

} // namespace Switchyard
