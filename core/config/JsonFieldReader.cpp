// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/JsonFieldReader.h"
#include <cmath>

namespace Switchyard {

QString JsonFieldReader::join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString JsonFieldReader::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

void JsonFieldReader::fail(const QString &path, const QString &message)
{
    // One line per problem, whatever the keys and values hold: control characters (a newline,
    // a terminal escape) are written as \u00XX.
    QString line = (path.isEmpty() ? QStringLiteral("(root)") : path) + QStringLiteral(": ") + message;
    for (qsizetype i = line.size() - 1; i >= 0; --i) {
        const char16_t c = line.at(i).unicode();
        if (c < 0x20 || c == 0x7f)
            line.replace(i, 1, QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0')));
    }
    m_errors.append(line);
}

void JsonFieldReader::onlyKeys(const QJsonObject &object, const QString &path, const QStringList &known)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            fail(join(path, it.key()), QStringLiteral("unknown key; expected one of: %1").arg(known.join(QStringLiteral(", "))));
    }
}

QJsonObject JsonFieldReader::object(const QJsonValue &value, const QString &path)
{
    if (!value.isObject()) {
        fail(path, QStringLiteral("expected an object, got %1").arg(typeName(value)));
        return {};
    }
    return value.toObject();
}

QJsonArray JsonFieldReader::array(const QJsonObject &object, const QString &path, const QString &key, Presence presence)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        if (presence == Required)
            fail(join(path, key), QStringLiteral("missing; expected an array"));
        return {};
    }
    if (!value.isArray()) {
        fail(join(path, key), QStringLiteral("expected an array, got %1").arg(typeName(value)));
        return {};
    }
    return value.toArray();
}

QString JsonFieldReader::string(const QJsonObject &object, const QString &path, const QString &key, Presence presence,
                                const QString &fallback)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        if (presence == Required)
            fail(join(path, key), QStringLiteral("missing; expected a string"));
        return fallback;
    }
    if (!value.isString()) {
        fail(join(path, key), QStringLiteral("expected a string, got %1").arg(typeName(value)));
        return fallback;
    }
    if (presence == Required && value.toString().isEmpty())
        fail(join(path, key), QStringLiteral("must not be empty"));
    return value.toString();
}

QStringList JsonFieldReader::stringList(const QJsonObject &object, const QString &path, const QString &key)
{
    const QJsonArray items = array(object, path, key, Optional);
    QStringList out;
    for (int i = 0; i < items.size(); ++i) {
        if (items.at(i).isString())
            out.append(items.at(i).toString());
        else
            fail(join(path, key) + QStringLiteral("[%1]").arg(i), QStringLiteral("expected a string, got %1").arg(typeName(items.at(i))));
    }
    return out;
}

qint64 JsonFieldReader::integer(const QJsonObject &object, const QString &path, const QString &key, qint64 min,
                                qint64 max, qint64 fallback)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    const double d = value.toDouble(std::nan(""));
    if (!value.isDouble() || std::floor(d) != d || d < double(min) || d > double(max)) {
        const QString got = value.isDouble() ? QString::number(d, 'g', 17) : typeName(value);
        fail(join(path, key), QStringLiteral("must be an integer from %1 to %2, got %3").arg(min).arg(max).arg(got));
        return fallback;
    }
    return qint64(d);
}

double JsonFieldReader::number(const QJsonObject &object, const QString &path, const QString &key, double fallback)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return fallback;
    if (!value.isDouble()) {
        fail(join(path, key), QStringLiteral("expected a number, got %1").arg(typeName(value)));
        return fallback;
    }
    return value.toDouble();
}

std::optional<double> JsonFieldReader::price(const QJsonObject &object, const QString &path, const QString &key,
                                             Presence presence)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        if (presence == Required)
            fail(join(path, key), QStringLiteral("missing; expected a price in USD per million tokens"));
        return std::nullopt;
    }
    if (!value.isDouble() || value.toDouble() < 0) {
        fail(join(path, key), QStringLiteral("expected a price of 0 or more (USD per million tokens), got %1")
                                  .arg(value.isDouble() ? QString::number(value.toDouble()) : typeName(value)));
        return std::nullopt;
    }
    return value.toDouble();
}

} // namespace Switchyard
