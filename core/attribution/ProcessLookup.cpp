// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/attribution/ProcessLookup.h"
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QThreadPool>
#include <array>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace Switchyard {

namespace {

using Address = std::array<quint8, 16>; // IPv6, IPv4 as ::ffff:a.b.c.d

struct Endpoint
{
    Address address{};
    quint16 port = 0;
    bool operator==(const Endpoint &) const = default;
};

std::optional<Address> normalised(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also unwraps ::ffff:a.b.c.d
    if (isV4) {
        Address mapped{};
        mapped[10] = mapped[11] = 0xff;
        mapped[12] = quint8(v4 >> 24);
        mapped[13] = quint8(v4 >> 16);
        mapped[14] = quint8(v4 >> 8);
        mapped[15] = quint8(v4);
        return mapped;
    }
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return std::nullopt;
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    Address bytes{};
    std::memcpy(bytes.data(), v6.c, bytes.size());
    return bytes;
}

// Exactly 1 to 8 hex digits, nothing else (no sign, prefix or blanks).
std::optional<quint32> hexWord(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 8)
        return std::nullopt;
    quint32 value = 0;
    for (const char c : text) {
        int digit = 0;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else
            return std::nullopt;
        value = value << 4 | quint32(digit);
    }
    return value;
}

// "0100007F:1F90" (tcp) or 32 hex digits then ":1F90" (tcp6). The kernel prints each 32-bit
// word of the network-order address with %08X, i.e. as a host-order number (little-endian on
// x86-64 and arm64), so the number's bytes in memory are the address bytes.
std::optional<Endpoint> parseEndpoint(QByteArrayView field)
{
    const qsizetype colon = field.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    const QByteArrayView hexAddress = field.first(colon);
    const QByteArrayView hexPort = field.sliced(colon + 1);
    if ((hexAddress.size() != 8 && hexAddress.size() != 32) || hexPort.size() != 4)
        return std::nullopt;
    const std::optional<quint32> port = hexWord(hexPort);
    if (!port)
        return std::nullopt;
    Endpoint endpoint;
    endpoint.port = quint16(*port);
    const qsizetype words = hexAddress.size() / 8;
    quint8 *out = endpoint.address.data() + (words == 1 ? 12 : 0);
    if (words == 1)
        endpoint.address[10] = endpoint.address[11] = 0xff;
    for (qsizetype i = 0; i < words; ++i) {
        const std::optional<quint32> word = hexWord(hexAddress.sliced(i * 8, 8));
        if (!word)
            return std::nullopt;
        const quint32 hostOrder = *word;
        std::memcpy(out + i * 4, &hostOrder, sizeof hostOrder);
    }
    return endpoint;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString readLink(const QString &path)
{
    char target[4096];
    const ssize_t length = ::readlink(QFile::encodeName(path).constData(), target, sizeof target);
    return length > 0 ? QFile::decodeName(QByteArray(target, length)) : QString();
}

struct DirCloser
{
    void operator()(DIR *directory) const { ::closedir(directory); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

bool isPid(const char *name)
{
    if (*name == '\0')
        return false;
    for (; *name != '\0'; ++name) {
        if (*name < '0' || *name > '9')
            return false;
    }
    return true;
}

// The first process with an fd linked to "socket:[inode]". Processes whose fds we may not
// read (other users, unless we are root) are skipped.
std::optional<qint64> socketOwner(const QString &procRoot, quint64 inode)
{
    const QByteArray wanted = "socket:[" + QByteArray::number(inode) + ']';
    const DirHandle proc(::opendir(QFile::encodeName(procRoot).constData()));
    if (!proc)
        return std::nullopt;
    while (const dirent *process = ::readdir(proc.get())) {
        if (!isPid(process->d_name))
            continue;
        const QByteArray fdPath = QByteArray(process->d_name) + "/fd";
        const int fdDirectory = ::openat(::dirfd(proc.get()), fdPath.constData(),
                                         O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fdDirectory < 0)
            continue;
        const DirHandle fds(::fdopendir(fdDirectory));
        if (!fds) {
            ::close(fdDirectory);
            continue;
        }
        while (const dirent *fd = ::readdir(fds.get())) {
            char target[64]; // longer targets are never a socket link, and never match
            const ssize_t length = ::readlinkat(fdDirectory, fd->d_name, target, sizeof target);
            if (length == wanted.size() && std::memcmp(target, wanted.constData(), size_t(length)) == 0)
                return QByteArray(process->d_name).toLongLong();
        }
    }
    return std::nullopt;
}

ClientProcess describe(const QString &procRoot, qint64 pid)
{
    const QString directory = procRoot + QLatin1Char('/') + QString::number(pid) + QLatin1Char('/');
    ClientProcess process;
    process.pid = pid;
    QString executable = readLink(directory + QStringLiteral("exe"));
    const QString deleted = QStringLiteral(" (deleted)"); // the binary was replaced since
    if (executable.endsWith(deleted))
        executable.chop(deleted.size());
    process.executable = executable.isEmpty()
        ? QString::fromLocal8Bit(readFile(directory + QStringLiteral("comm"))).trimmed()
        : executable.mid(executable.lastIndexOf(QLatin1Char('/')) + 1);
    process.commandLine = ProcessLookup::commandLine(readFile(directory + QStringLiteral("cmdline")));
    process.workingDirectory = readLink(directory + QStringLiteral("cwd"));
    return process;
}

} // namespace

std::optional<ClientProcess> ProcessLookup::find(const QHostAddress &clientAddress, quint16 clientPort,
                                                 const QHostAddress &serverAddress, quint16 serverPort,
                                                 const QString &procRoot)
{
    if (!isLoopback(clientAddress) || clientPort == 0 || serverPort == 0)
        return std::nullopt;
    // An IPv4 or v4-mapped client may sit in either table, depending on its socket family;
    // a plain IPv6 client only in tcp6. Each read costs about 1 ms (the kernel walks its table).
    bool hasIPv4Form = false;
    clientAddress.toIPv4Address(&hasIPv4Form);
    const QString tcp = QStringLiteral("/net/tcp");
    const QString tcp6 = QStringLiteral("/net/tcp6");
    for (const QString &table : hasIPv4Form ? QStringList{tcp, tcp6} : QStringList{tcp6}) {
        const std::optional<quint64> inode =
            socketInode(readFile(procRoot + table), clientAddress, clientPort, serverAddress, serverPort);
        if (!inode)
            continue;
        const std::optional<qint64> pid = socketOwner(procRoot, *inode);
        return pid ? std::optional(describe(procRoot, *pid)) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<quint64> ProcessLookup::socketInode(const QByteArray &procNetTcp,
                                                  const QHostAddress &local, quint16 localPort,
                                                  const QHostAddress &remote, quint16 remotePort)
{
    const std::optional<Address> localAddress = normalised(local);
    const std::optional<Address> remoteAddress = normalised(remote);
    if (!localAddress || !remoteAddress)
        return std::nullopt;
    const Endpoint wantedLocal{*localAddress, localPort};
    const Endpoint wantedRemote{*remoteAddress, remotePort};
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    enum Field { LocalField = 1, RemoteField = 2, InodeField = 9, FieldCount };
    for (const QByteArray &line : procNetTcp.split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < FieldCount)
            continue; // the header has enough fields but no parsable endpoints
        if (parseEndpoint(fields.at(LocalField)) != wantedLocal
            || parseEndpoint(fields.at(RemoteField)) != wantedRemote)
            continue;
        bool ok = false;
        const quint64 inode = fields.at(InodeField).toULongLong(&ok);
        if (ok && inode != 0) // 0: a TIME_WAIT row, no longer owned by any socket
            return inode;
    }
    return std::nullopt;
}

QString ProcessLookup::commandLine(const QByteArray &procCmdline)
{
    QByteArray arguments = procCmdline;
    while (arguments.endsWith('\0'))
        arguments.chop(1);
    arguments.replace('\0', ' ');
    QString line = QString::fromLocal8Bit(arguments);
    if (line.size() > CommandLineLimit)
        line = line.left(CommandLineLimit - 1) + QChar(0x2026); // …
    return line;
}

bool ProcessLookup::isLoopback(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? (v4 >> 24) == 127 : address.isLoopback();
}

struct ProcessLookupQueue::Guard
{
    QMutex mutex;
    ProcessLookupQueue *queue = nullptr; // null once the queue is being destroyed
};

ProcessLookupQueue::ProcessLookupQueue(QObject *parent)
    : QObject(parent)
    , m_guard(std::make_shared<Guard>())
{
    qRegisterMetaType<Switchyard::ClientProcess>();
    m_guard->queue = this;
}

ProcessLookupQueue::~ProcessLookupQueue()
{
    // After this, no lookup can post to us; ~QObject discards what was already posted.
    const QMutexLocker locker(&m_guard->mutex);
    m_guard->queue = nullptr;
}

void ProcessLookupQueue::request(quint64 connectionId, QHostAddress clientAddress, quint16 clientPort,
                                 QHostAddress serverAddress, quint16 serverPort)
{
    if (!ProcessLookup::isLoopback(clientAddress))
        return;
    QThreadPool::globalInstance()->start([guard = m_guard, connectionId,
                                          clientAddress, clientPort, serverAddress, serverPort] {
        const std::optional<ClientProcess> process =
            ProcessLookup::find(clientAddress, clientPort, serverAddress, serverPort);
        if (!process)
            return;
        const QMutexLocker locker(&guard->mutex);
        if (ProcessLookupQueue *queue = guard->queue) {
            QMetaObject::invokeMethod(
                queue, [queue, connectionId, process = *process] { Q_EMIT queue->found(connectionId, process); },
                Qt::QueuedConnection);
        }
    });
}

} // namespace Switchyard
