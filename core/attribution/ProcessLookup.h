// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QHostAddress>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace Switchyard {

// The local process on the other end of an inbound connection.
struct ClientProcess
{
    qint64 pid = 0;
    QString executable;       // basename of /proc/<pid>/exe, else /proc/<pid>/comm
    QString commandLine;      // argv joined by spaces, at most CommandLineLimit characters
    QString workingDirectory; // empty when not permitted
};

// Finds which local process holds the client end of a loopback TCP connection, through
// /proc/net/tcp{,6} (socket inode) and /proc/<pid>/fd (owner). Blocking, scans every
// process: call it once per connection, off the request path. Gives nullopt, quietly, when
// the client is not loopback, has gone, or belongs to a user whose fds we may not read.
class ProcessLookup final
{
public:
    static constexpr int CommandLineLimit = 300;

    static std::optional<ClientProcess> find(const QHostAddress &clientAddress, quint16 clientPort,
                                             const QHostAddress &serverAddress, quint16 serverPort,
                                             const QString &procRoot = QStringLiteral("/proc"));

    // The inode of the row in /proc/net/tcp or tcp6 text whose local end is local:localPort
    // and remote end remote:remotePort. IPv4 and v4-mapped IPv6 addresses match each other.
    static std::optional<quint64> socketInode(const QByteArray &procNetTcp,
                                              const QHostAddress &local, quint16 localPort,
                                              const QHostAddress &remote, quint16 remotePort);

    // /proc/<pid>/cmdline (NUL-separated argv) as one line, capped at CommandLineLimit.
    static QString commandLine(const QByteArray &procCmdline);

    static bool isLoopback(const QHostAddress &address); // also ::ffff:127.x.y.z
};

// Runs ProcessLookup::find on the global thread pool and announces what it finds on the
// thread this object lives on. Unknown or non-loopback clients give no signal. Lookups
// still running when the queue is destroyed are dropped.
class ProcessLookupQueue final : public QObject
{
    Q_OBJECT
public:
    explicit ProcessLookupQueue(QObject *parent = nullptr);
    ~ProcessLookupQueue() override;

    void request(quint64 connectionId, QHostAddress clientAddress, quint16 clientPort,
                 QHostAddress serverAddress, quint16 serverPort);

Q_SIGNALS:
    void found(quint64 connectionId, const Switchyard::ClientProcess &process);

private:
    struct Guard;
    std::shared_ptr<Guard> m_guard; // shared with running lookups; cleared on destruction
};

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::ClientProcess)
