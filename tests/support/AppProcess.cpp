// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/AppProcess.h"
#include <QDeadlineTimer>
#include <QDir>
#include <QRegularExpression>
#include <csignal>
#include <utility>

namespace Switchyard::Test {

QString AppProcess::binary()
{
    return qEnvironmentVariable("SWITCHYARD_BINARY");
}

AppProcess::AppProcess(const QString &home, int timeoutMs)
    : m_binary(binary())
    , m_timeoutMs(timeoutMs)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // CTest's "offscreen" counts as a display
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home).filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), QDir(home).filePath(QStringLiteral("data")));
    m_process.setProcessEnvironment(env);
}

AppProcess::~AppProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(m_timeoutMs);
    }
}

void AppProcess::setEnvironmentVariable(const QString &name, const QString &value)
{
    QProcessEnvironment env = m_process.processEnvironment();
    env.insert(name, value);
    m_process.setProcessEnvironment(env);
}

bool AppProcess::start(const QStringList &arguments)
{
    m_process.start(m_binary, arguments);
    if (m_process.waitForStarted(m_timeoutMs))
        return true;
    m_failure = m_process.errorString();
    return false;
}

bool AppProcess::run(const QStringList &arguments)
{
    return start(arguments) && m_process.waitForFinished(m_timeoutMs);
}

quint16 AppProcess::startHeadless(const QString &configPath, const QString &dbPath, quint16 port)
{
    QStringList arguments{QStringLiteral("--headless"), QStringLiteral("--port"), QString::number(port),
                          QStringLiteral("--config"), configPath};
    if (!dbPath.isEmpty())
        arguments << QStringLiteral("--db") << dbPath;
    return start(arguments) ? waitUntilListening(configPath) : 0;
}

QString AppProcess::readLine()
{
    const QDeadlineTimer deadline(m_timeoutMs);
    for (;;) {
        m_stdout += m_process.readAllStandardOutput();
        const qsizetype end = m_stdout.indexOf('\n');
        if (end >= 0) {
            const QString line = QString::fromUtf8(m_stdout.left(end));
            m_stdout.remove(0, end + 1);
            return line;
        }
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return QString();
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

quint16 AppProcess::waitUntilListening(const QString &expectedConfigPath)
{
    static const QRegularExpression listening(
        QStringLiteral(R"(^switchyard: listening on http:\/\/127\.0\.0\.1:(\d+) \(config (.+)\)$)"));
    const QString line = readLine();
    const QRegularExpressionMatch match = listening.match(line);
    if (!match.hasMatch() || (!expectedConfigPath.isEmpty() && match.captured(2) != expectedConfigPath)) {
        collect();
        m_failure = QStringLiteral("stdout: \"%1\"; stderr: \"%2\"").arg(line, QString::fromUtf8(m_stderr));
        return 0;
    }
    return quint16(match.captured(1).toUInt());
}

bool AppProcess::finish(int signal)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    if (signal != 0)
        ::kill(pid_t(m_process.processId()), signal);
    return m_process.waitForFinished(m_timeoutMs);
}

QByteArray AppProcess::standardOutput()
{
    collect();
    return std::exchange(m_stdout, QByteArray());
}

QByteArray AppProcess::standardError()
{
    collect();
    return std::exchange(m_stderr, QByteArray());
}

// Moves what the process has printed into our buffers, where failure() and the readers share it.
void AppProcess::collect()
{
    m_stdout += m_process.readAllStandardOutput();
    m_stderr += m_process.readAllStandardError();
}

} // namespace Switchyard::Test
