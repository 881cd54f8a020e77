// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>
#include <utility>

namespace Switchyard {

// HTTP header fields in wire order; names compare case-insensitively.
class HttpHeaders final
{
public:
    using Field = std::pair<QByteArray, QByteArray>;

    void add(const QByteArray &name, const QByteArray &value) { m_fields.append({name, value}); }
    void set(const QByteArray &name, const QByteArray &value);
    void remove(const QByteArray &name);
    QByteArray value(const QByteArray &name, const QByteArray &fallback = QByteArray()) const;
    bool contains(const QByteArray &name) const;
    bool isEmpty() const { return m_fields.isEmpty(); }
    qsizetype size() const { return m_fields.size(); }
    const QList<Field> &fields() const { return m_fields; }
    auto begin() const { return m_fields.cbegin(); }
    auto end() const { return m_fields.cend(); }

private:
    QList<Field> m_fields;
};

} // namespace Switchyard
