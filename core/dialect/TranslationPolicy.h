// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/TranslationNote.h"
#include "core/util/Result.h"
#include <QJsonObject>
#include <optional>
#include <span>

namespace Switchyard {

// How a translation treats the fields of a client's request that do not cross unchanged, and
// the notes it keeps of what it did. Every field a translator knows is in its direction's
// table (mapped by code, dropped with a reason, or refused by code when it changes the answer
// and has no equivalent); a field in no table is the next client release's: dropped with a
// note by default, refused when the alias sets "translation": "strict".
class TranslationPolicy final
{
public:
    enum class Mode { Lenient, Strict };

    // One row of a direction's table: a field the translator reads itself, or one it drops.
    struct Field
    {
        const char *name;
        const char *dropReason; // nullptr: read by the translator (mapped or refused there)
    };

    // `direction` names the translation in messages and notes: "Messages → Chat Completions".
    // `targetModel` lets mappings depend on what the target takes (reasoning effort, token limits).
    TranslationPolicy(QString direction, Mode mode, QString targetModel = QString());

    const QString &direction() const { return m_direction; }
    Mode mode() const { return m_mode; }
    const QString &targetModel() const { return m_targetModel; }

    void mapped(const QString &field, const QString &detail);
    void dropped(const QString &field, const QString &why);
    // Each top-level field of `request` is looked up in `table`: dropped ones get their note,
    // unknown ones are dropped with a note or, when strict, refused. Returns the first refusal.
    std::optional<Error> checkTopLevel(const QJsonObject &request, std::span<const Field> table);
    // A field in no table: a note, or an error when strict.
    std::optional<Error> unknown(const QString &field);

    const TranslationNotes &notes() const { return m_notes; }
    // The x-switchyard-translation header: "Messages → Chat Completions; dropped: a, b; mapped: c".
    QByteArray summary() const { return summary(m_direction, m_notes); }
    static QByteArray summary(const QString &direction, const TranslationNotes &notes);
    // The direction a call to `endpoint` ("/v1/messages", "/responses", …) is translated in
    // when its target speaks the other dialect (Responses is only ever translated to Messages).
    static QString directionFor(QStringView endpoint);
    // An error message with the translation named: `"n": why (Chat Completions → Messages)`.
    Error refusal(const Error &error) const;

    // Whether the model is one of OpenAI's reasoning models (o-series, gpt-5, gpt-oss), which
    // take reasoning_effort and max_completion_tokens and refuse max_tokens.
    static bool isOpenAiReasoningModel(const QString &model);
    // Whether the Anthropic model can think (Claude 3.7 and every Claude 4 model).
    static bool isAnthropicThinkingModel(const QString &model);

private:
    QString m_direction;
    Mode m_mode;
    QString m_targetModel;
    TranslationNotes m_notes;
};

} // namespace Switchyard
