// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/CommandLine.h"
#include "core/upstream/UpstreamRequest.h"
#include <QJsonObject>
#include <QSslCertificate>
#include <QUrl>

class QTextStream;

namespace Switchyard {

// The `requests`, `replay` and `evaluate` commands: a blocking client of a running instance's
// admin API, for the command line only. Each call waits in a local event loop for at most
// TimeoutMs; a QCoreApplication must exist.
class AdminClient final
{
public:
    static constexpr int TimeoutMs = 10000;
    enum ExitCode { Success = 0, Failure = 1, UsageError = 2 };

    // Where the instance is (scheme, host, port and any path prefix) and its access token.
    struct Target
    {
        QUrl base;
        QString token;
        QList<QSslCertificate> trusted; // listen.tls_cert of the config file, when it sets one
    };
    // --url if given, else the listen address of the config file (--config or the default,
    // read but never created; a missing default file means the default address). The token
    // comes from the config file when the address does, or when --config is given.
    static Result<Target, QStringList> locate(const CommandLineOptions &options);

    explicit AdminClient(Target target);

    // Runs options.action (Requests, Replay or Evaluate): the report on `out`, one-line
    // problems on `err`; returns the exit code.
    static int run(const CommandLineOptions &options, QTextStream &out, QTextStream &err);
    // A call to the admin API of `target`: `path` under its base, `query`, the access token,
    // JSON in and out (an event stream from /api/events). Timeouts are the caller's.
    static UpstreamRequest request(const Target &target, const QByteArray &method, const QString &path, const QString &query,
                                   const QByteArray &body, const QByteArray &userAgent);
    // One problem on `err`: "switchyard: MESSAGE".
    static void report(QTextStream &err, const QString &message);

    struct Reply
    {
        int status = 0;
        QJsonObject json; // empty when the body was not a JSON object
        QByteArray body;
    };

    // Error: nothing listening, no answer in time, or an answer that is not HTTP.
    Result<Reply> send(const QByteArray &method, const QString &path, const QString &query, const QByteArray &body);
    // The server's own message for a failed call, else a description of the status.
    QString problem(const QString &path, const Reply &reply) const;

private:
    QString address() const;

    int listRequests(const CommandLineOptions &options, QTextStream &out, QTextStream &err);
    int replay(const CommandLineOptions &options, QTextStream &out, QTextStream &err);

    Target m_target;
};

} // namespace Switchyard
