// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Switchyard {

// What a model answered, whatever the dialect: its text and its tool calls, read from a
// logged response body (a JSON body of the OpenAI chat, Responses or Anthropic Messages API,
// or an event stream of any of them). Two answers are compared as the user would: the same
// text (ignoring surrounding whitespace) and the same tool calls (name and arguments; the
// ids each provider makes up are left out).
struct Answer
{
    QString text;
    QJsonArray toolCalls; // [{"name", "arguments"}], arguments parsed when they are JSON

    static Answer of(const QByteArray &responseBody);
    bool sameAs(const Answer &other) const;
    bool isEmpty() const { return text.isEmpty() && toolCalls.isEmpty(); }
    QJsonObject toJson() const;
    static Answer fromJson(const QJsonObject &object);
};

} // namespace Switchyard
