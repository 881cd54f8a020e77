// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/routing/ErrorClass.h"
#include "core/util/Result.h"
#include <QMetaType>
#include <QtGlobal>

#include <QTest>

// Readable QCOMPARE failures for our value types.
namespace QTest {
template <>
inline char *toString(const Switchyard::ErrorClass &errorClass)
{
    const QString name = Switchyard::errorClassName(errorClass);
    return qstrdup(name.isEmpty() ? "none" : qPrintable(name));
}
} // namespace QTest

Q_DECLARE_METATYPE(Switchyard::ErrorClass)

namespace Switchyard::Test {
// The error of a failed answer, for QVERIFY2 (which reads its message even on success).
template <typename T>
QByteArray why(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}
} // namespace Switchyard::Test
