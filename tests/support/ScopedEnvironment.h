// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>

namespace Switchyard::Test {

// Sets (or, given a null value, unsets) one environment variable of this process for a scope,
// and puts back what was there, so a test that fails half-way leaves no setting behind.
class ScopedEnvironment final
{
public:
    ScopedEnvironment(const char *name, const QByteArray &value);
    ~ScopedEnvironment();
    Q_DISABLE_COPY_MOVE(ScopedEnvironment)

private:
    const char *m_name;
    bool m_wasSet;
    QByteArray m_old;
};

} // namespace Switchyard::Test
