// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <optional>

namespace Switchyard {

// Reads typed fields out of JSON objects while collecting "path: problem" messages,
// so one pass over a document reports every problem rather than the first.
class JsonFieldReader final
{
public:
    enum Presence { Required, Optional };

    static QString join(const QString &path, const QString &key);
    static QString typeName(const QJsonValue &value);

    void fail(const QString &path, const QString &message);
    const QStringList &errors() const { return m_errors; }

    void onlyKeys(const QJsonObject &object, const QString &path, const QStringList &known);
    QJsonObject object(const QJsonValue &value, const QString &path);
    QJsonArray array(const QJsonObject &object, const QString &path, const QString &key, Presence presence);
    QString string(const QJsonObject &object, const QString &path, const QString &key, Presence presence,
                   const QString &fallback = QString());
    QStringList stringList(const QJsonObject &object, const QString &path, const QString &key);
    qint64 integer(const QJsonObject &object, const QString &path, const QString &key, qint64 min, qint64 max,
                   qint64 fallback);
    double number(const QJsonObject &object, const QString &path, const QString &key, double fallback);
    // A non-negative USD amount per million tokens.
    std::optional<double> price(const QJsonObject &object, const QString &path, const QString &key, Presence presence);

private:
    QStringList m_errors;
};

} // namespace Switchyard
