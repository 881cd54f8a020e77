// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/ContextSegments.h"
#include "core/util/Sha256.h"
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;
using Kind = ContextSegment::Kind;

namespace {

ContextSegment segment(Kind kind, const QString &label, const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    ContextSegment s;
    s.kind = kind;
    s.label = label;
    // OpenSSL's SHA-256 (SHA-NI): the log writer hashes every segment of every call, and Qt's
    // own SHA-1 costs several times as much on an agent-sized body.
    s.hash = sha256(json);
    s.bytes = json.size() - 2;
    if (kind == Kind::System)
        s.text = value.isString() ? value.toString() : QString::fromUtf8(json);
    return s;
}

QString toolName(const QJsonObject &tool)
{
    const QString name = tool.value("name"_L1).toString(tool.value("function"_L1).toObject().value("name"_L1).toString());
    return name.isEmpty() ? tool.value("type"_L1).toString() : name;
}

void addTools(const QJsonArray &tools, QList<ContextSegment> &out)
{
    for (const QJsonValue &tool : tools)
        out.append(segment(Kind::Tools, u"tool `%1`"_s.arg(toolName(tool.toObject())), tool));
}

bool isSystemRole(const QString &role)
{
    return role == "system"_L1 || role == "developer"_L1;
}

} // namespace

QList<ContextSegment> ContextSegments::of(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    QList<ContextSegment> out;
    if (o.isEmpty())
        return out;
    const bool messagesApi = o.contains("system"_L1) || (o.contains("max_tokens"_L1) && !o.contains("input"_L1)
                                                          && !o.value("messages"_L1).toArray().isEmpty()
                                                          && o.value("messages"_L1).toArray().first()["role"_L1] != "system"_L1);
    if (messagesApi) { // Anthropic caches tools, then system, then messages
        addTools(o.value("tools"_L1).toArray(), out);
        const QJsonValue system = o.value("system"_L1);
        if (system.isString())
            out.append(segment(Kind::System, u"system prompt"_s, system));
        const QJsonArray blocks = system.toArray();
        for (qsizetype i = 0; i < blocks.size(); ++i)
            out.append(segment(Kind::System, blocks.size() == 1 ? u"system prompt"_s : u"system prompt, block %1"_s.arg(i + 1),
                               blocks.at(i).toObject().value("text"_L1)));
    }
    const bool responses = o.contains("input"_L1);
    if (responses && o.value("instructions"_L1).isString())
        out.append(segment(Kind::System, u"instructions"_s, o.value("instructions"_L1)));
    const QJsonArray turns = responses ? o.value("input"_L1).toArray() : o.value("messages"_L1).toArray();
    bool leading = !messagesApi; // OpenAI: system and developer messages before the tools
    QList<ContextSegment> conversation;
    for (qsizetype i = 0; i < turns.size(); ++i) {
        const QJsonObject turn = turns.at(i).toObject();
        const QString role = turn.value("role"_L1).toString();
        const QString type = turn.value("type"_L1).toString(u"message"_s);
        if (leading && isSystemRole(role)) {
            out.append(segment(Kind::System, u"%1 message %2"_s.arg(role).arg(i + 1), turn.value("content"_L1)));
            continue;
        }
        leading = false;
        const QString what = role.isEmpty() ? type : role;
        conversation.append(segment(Kind::Message, u"message %1 (%2)"_s.arg(i + 1).arg(what), turn));
    }
    if (!messagesApi)
        addTools(o.value("tools"_L1).toArray(), out);
    out += conversation;
    return out;
}

QList<SegmentChange> ContextSegments::changes(const QList<ContextSegment> &before, const QList<ContextSegment> &after)
{
    QHash<QString, const ContextSegment *> old;
    for (const ContextSegment &s : before)
        old.insert(s.label, &s);
    QList<SegmentChange> out;
    for (const ContextSegment &s : after) {
        const ContextSegment *was = old.take(s.label);
        if (!was)
            out.append({SegmentChange::Kind::Added, s.label, s.bytes, QString()});
        else if (was->hash != s.hash)
            out.append({SegmentChange::Kind::Changed, s.label, s.bytes,
                        s.kind == Kind::System ? whereTextsDiffer(was->text, s.text) : QString()});
    }
    for (const ContextSegment &s : before) {
        if (old.contains(s.label))
            out.append({SegmentChange::Kind::Removed, s.label, s.bytes, QString()});
    }
    return out;
}

int ContextSegments::firstDifference(const QList<ContextSegment> &before, const QList<ContextSegment> &after)
{
    for (int i = 0; i < before.size(); ++i) {
        if (i >= after.size() || after.at(i).hash != before.at(i).hash)
            return i < after.size() ? i : int(after.size());
    }
    return -1;
}

QString ContextSegments::whereTextsDiffer(const QString &a, const QString &b)
{
    qsizetype i = 0;
    while (i < a.size() && i < b.size() && a.at(i) == b.at(i))
        ++i;
    return u"at character %1"_s.arg(QLocale(QLocale::English).toString(i + 1));
}

} // namespace Switchyard
