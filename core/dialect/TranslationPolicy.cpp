// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/TranslationPolicy.h"
#include "core/dialect/DialectMapping.h"
#include <QRegularExpression>
#include <QStringList>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

TranslationPolicy::TranslationPolicy(QString direction, Mode mode, QString targetModel)
    : m_direction(std::move(direction))
    , m_mode(mode)
    , m_targetModel(std::move(targetModel))
{
}

void TranslationPolicy::mapped(const QString &field, const QString &detail)
{
    m_notes.append({TranslationNote::Action::Mapped, field, detail});
}

void TranslationPolicy::dropped(const QString &field, const QString &why)
{
    for (const TranslationNote &note : std::as_const(m_notes)) {
        if (note.field == field && note.action == TranslationNote::Action::Dropped)
            return; // a two-step translation (Responses → chat → Messages) may drop a field twice
    }
    m_notes.append({TranslationNote::Action::Dropped, field, why});
}

std::optional<Error> TranslationPolicy::checkTopLevel(const QJsonObject &request, std::span<const Field> table)
{
    for (auto it = request.constBegin(); it != request.constEnd(); ++it) {
        if (it.value().isNull())
            continue;
        const Field *row = nullptr;
        for (const Field &f : table) {
            if (it.key() == QLatin1String(f.name)) {
                row = &f;
                break;
            }
        }
        if (!row) {
            if (auto error = unknown(it.key()))
                return error;
        } else if (row->dropReason) {
            dropped(it.key(), QString::fromUtf8(row->dropReason));
        }
    }
    return std::nullopt;
}

std::optional<Error> TranslationPolicy::unknown(const QString &field)
{
    if (m_mode == Mode::Strict)
        return DialectMapping::untranslatable(
            field, u"is not known to Switchyard's %1 translation, and this alias translates strictly"_s.arg(m_direction));
    dropped(field, u"not known to this translation; dropped (an alias with \"translation\": \"strict\" refuses it)"_s);
    return std::nullopt;
}

QString TranslationPolicy::directionFor(QStringView endpoint)
{
    if (endpoint.endsWith(u"/responses"))
        return u"Responses → Messages"_s;
    if (endpoint.contains(u"/messages"))
        return u"Messages → Chat Completions"_s;
    return u"Chat Completions → Messages"_s;
}

QByteArray TranslationPolicy::summary(const QString &direction, const TranslationNotes &notes)
{
    QStringList dropped;
    QStringList mapped;
    for (const TranslationNote &note : notes)
        (note.action == TranslationNote::Action::Dropped ? dropped : mapped) << note.field;
    QString out = direction;
    if (!dropped.isEmpty())
        out += "; dropped: "_L1 + dropped.join(", "_L1);
    if (!mapped.isEmpty())
        out += "; mapped: "_L1 + mapped.join(", "_L1);
    // A header value is one line of printable ASCII: the arrow becomes "->".
    out.replace(u'→', "->"_L1);
    QByteArray bytes = out.toUtf8();
    for (char &c : bytes) {
        if (uchar(c) < 0x20 || uchar(c) > 0x7e)
            c = '?';
    }
    return bytes.left(2000);
}

Error TranslationPolicy::refusal(const Error &error) const
{
    if (error.message.endsWith(u')') && error.message.contains(m_direction))
        return error;
    return Error{u"%1 (%2)"_s.arg(error.message, m_direction)};
}

bool TranslationPolicy::isOpenAiReasoningModel(const QString &model)
{
    static const QRegularExpression pattern(u"(^|/)(o[1-9]([-.].*)?|gpt-5.*|gpt-oss.*|codex-.*)$"_s,
                                             QRegularExpression::CaseInsensitiveOption);
    return pattern.match(model).hasMatch();
}

bool TranslationPolicy::isAnthropicThinkingModel(const QString &model)
{
    static const QRegularExpression pattern(u"claude-(3-7-|(opus|sonnet|haiku)-[4-9]|[4-9])"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(model).hasMatch();
}

} // namespace Switchyard
