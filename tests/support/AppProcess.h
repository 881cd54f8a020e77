// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace Switchyard::Test {

// One run of the real switchyard binary, the one CTest names in SWITCHYARD_BINARY, with private
// XDG directories under `home` and no display, so it never reads or writes the user's own
// config, log or screen. A run still going when the object goes (test passed or failed) is
// killed and reaped, so no instance outlives its test.
class AppProcess final
{
public:
    static constexpr int DefaultTimeoutMs = 10000;

    // The binary's path; empty outside CTest, where suites skip the tests that need it.
    static QString binary();

    // `timeoutMs` bounds each wait: for the start, each line, and the end.
    explicit AppProcess(const QString &home, int timeoutMs = DefaultTimeoutMs);
    ~AppProcess();
    Q_DISABLE_COPY_MOVE(AppProcess)

    // Adds a variable to the environment of the next start().
    void setEnvironmentVariable(const QString &name, const QString &value);

    bool start(const QStringList &arguments);
    // Runs to the end; false if it did not start or end in time.
    bool run(const QStringList &arguments);

    // `switchyard --headless --port PORT --config CONFIG [--db DB]`, then waitUntilListening().
    quint16 startHeadless(const QString &configPath, const QString &dbPath = QString(), quint16 port = 0);

    // The next line of standard output without its newline; empty if none arrived in time.
    QString readLine();
    // Reads the next line, which must be "switchyard: listening on http://127.0.0.1:PORT
    // (config PATH)" with PATH the config given (any when empty); returns PORT, or 0 with the
    // reason in failure().
    quint16 waitUntilListening(const QString &expectedConfigPath = QString());

    // Sends `signal` (SIGTERM, SIGKILL, ...; 0 sends none) to a run still going and waits for
    // its end; false if it outlived the timeout.
    bool finish(int signal = 0);

    // What it printed and no one has read yet (readLine() takes lines of standard output).
    QByteArray standardOutput();
    QByteArray standardError();

    // For the exit code and status, and for writing to standard input; read the output
    // through standardOutput() and standardError(), which keep what failure() has seen.
    QProcess &process() { return m_process; }
    QString failure() const { return m_failure; }

private:
    void collect();

    QString m_binary;
    int m_timeoutMs;
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_failure;
};

} // namespace Switchyard::Test
