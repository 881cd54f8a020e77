// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <utility>

namespace Switchyard {

// Writes compact JSON straight into bytes, commas placed by itself. For output built on a hot
// or busy path (log rows, trace exports), where building a QJsonObject tree and serialising it
// costs several times the bytes written.
class JsonWriter final
{
public:
    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    void key(QByteArrayView name);
    void string(QByteArrayView utf8);
    void string(const QString &text) { string(QByteArrayView(text.toUtf8())); }
    void number(qint64 value);
    void number(double value);
    void boolean(bool value);
    void null();
    // "name": value, in one call.
    template <typename T>
    void field(QByteArrayView name, const T &value)
    {
        key(name);
        write(value);
    }

    // Any JSON value of Qt's, as QJsonDocument::toJson(Compact) writes it, at a fraction of the
    // cost (it escapes character by character); whole numbers are written without a fraction.
    void value(const QJsonValue &v);
    void object(const QJsonObject &o);
    // Bytes that are JSON already, as the next value.
    void raw(QByteArrayView json);
    static QByteArray compact(const QJsonObject &o);

    const QByteArray &bytes() const { return m_out; }
    QByteArray take() { return std::exchange(m_out, QByteArray()); }

    // Appends `utf8` as a JSON string; bytes that are not valid UTF-8 become U+FFFD.
    static void appendString(QByteArray &out, QByteArrayView utf8);

private:
    static void appendEscaped(QByteArray &out, QByteArrayView validUtf8);
    void separate();
    void open(char c);
    void close(char c);
    void write(const QString &v) { string(v); }
    void write(QByteArrayView v) { string(v); }
    void write(const QByteArray &v) { string(QByteArrayView(v)); }
    void write(const char *v) { string(QByteArrayView(v)); }
    void write(qint64 v) { number(v); }
    void write(int v) { number(qint64(v)); }
    void write(double v) { number(v); }
    void write(bool v) { boolean(v); }

    QByteArray m_out;
    bool m_needComma = false;
};

} // namespace Switchyard
