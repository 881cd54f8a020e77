// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/PostgresServer.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QUrl>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <locale.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace Switchyard::Test {

namespace {

// pg_ctl waits up to this for a start or a stop; our own wait for pg_ctl is a little longer.
constexpr int PgCtlSeconds = 30;
constexpr int PgCtlTimeoutMs = (PgCtlSeconds + 10) * 1000;
constexpr int InitdbTimeoutMs = 120 * 1000;
constexpr int PsqlTimeoutMs = 30 * 1000;
// A port seen free can be taken by someone else before the server binds it.
constexpr int PortAttempts = 5;
constexpr int LogTailLines = 20;

bool isRoot()
{
    return ::geteuid() == 0;
}

QString systemError(const QString &what, const QString &path)
{
    return u"%1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(errno)));
}

// Adds search permission for others to `path` and each directory above it that lacks it, so
// the postgres user reaches its data directory through directories root owns.
bool makeTraversable(const QString &path, QString *error)
{
    for (QDir dir(path);; dir.cdUp()) {
        const QByteArray name = QFile::encodeName(dir.absolutePath());
        struct stat info = {};
        if (::stat(name.constData(), &info) != 0
            || (!(info.st_mode & S_IXOTH) && ::chmod(name.constData(), (info.st_mode & 07777) | S_IXOTH) != 0)) {
            *error = systemError(u"chmod o+x"_s, dir.absolutePath());
            return false;
        }
        if (dir.isRoot())
            return true;
    }
}

bool hasLocale(const char *name)
{
    const locale_t locale = ::newlocale(LC_ALL_MASK, name, locale_t(nullptr));
    if (locale == locale_t(nullptr))
        return false;
    ::freelocale(locale);
    return true;
}

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

QString lastLines(const QString &text, int count)
{
    const QStringList lines = text.trimmed().split(u'\n');
    return lines.mid(qMax<qsizetype>(0, lines.size() - count)).join(u'\n');
}

} // namespace

PostgresServer::PostgresServer()
    : m_dir(QDir::tempPath() + u"/switchyard-pg-XXXXXX"_s)
    , m_binDir(binDir())
{
}

PostgresServer::~PostgresServer()
{
    if (!shutDown(u"immediate"_s))
        qWarning("PostgresServer: the server may outlive its test: %s", qPrintable(m_error));
}

QString PostgresServer::binDir()
{
    const QDir root(u"/usr/lib/postgresql"_s);
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    // 15 first (Debian 12's), then the others newest first ("16" > "9.6", hence numbers).
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return (a == u"15"_s) != (b == u"15"_s) ? a == u"15"_s : a.toDouble() > b.toDouble();
    });
    for (const QString &version : std::as_const(versions)) {
        QString bin = root.filePath(version + u"/bin"_s);
        if (QFileInfo(bin + u"/initdb"_s).isExecutable())
            return bin;
    }
    return QString();
}

bool PostgresServer::start()
{
    m_error.clear();
    if (m_running)
        return true;
    if (!m_initialized && !initialize())
        return false;
    const int attempts = m_port == 0 ? PortAttempts : 1;
    for (int attempt = 1;; ++attempt) {
        const quint16 port = m_port != 0 ? m_port : freePort();
        if (port == 0)
            return fail(u"no free port on 127.0.0.1"_s);
        bool portTaken = false;
        if (startOn(port, &portTaken)) {
            m_port = port;
            break;
        }
        if (!portTaken || attempt == attempts)
            return false;
    }
    if (!m_hasDatabase && !createDatabase(u"switchyard"_s))
        return false;
    m_hasDatabase = true;
    return true;
}

bool PostgresServer::stop()
{
    m_error.clear();
    return shutDown(u"fast"_s);
}

QString PostgresServer::url(const QString &database) const
{
    return u"postgresql://switchyard@127.0.0.1:%1/%2"_s.arg(m_port).arg(QString::fromLatin1(QUrl::toPercentEncoding(database)));
}

bool PostgresServer::createDatabase(const QString &name)
{
    m_error.clear();
    if (!m_running)
        return fail(u"CREATE DATABASE %1: the server is not running"_s.arg(name));
    QString identifier = name;
    identifier.replace(u'"', u"\"\""_s);
    return run(u"psql"_s,
               {u"-X"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-U"_s,
                u"switchyard"_s, u"-d"_s, u"postgres"_s, u"-c"_s, u"CREATE DATABASE \""_s + identifier + u'"'},
               PsqlTimeoutMs, false);
}

bool PostgresServer::initialize()
{
    if (m_binDir.isEmpty())
        return fail(u"no PostgreSQL server under /usr/lib/postgresql (Debian package postgresql)"_s);
    if (!m_dir.isValid())
        return fail(u"temporary directory: "_s + m_dir.errorString());
    if (!QDir(m_dir.path()).mkdir(u"data"_s))
        return fail(u"cannot create "_s + dataDir());
    QFile log(logPath());
    if (!log.open(QIODevice::WriteOnly))
        return fail(logPath() + u": "_s + log.errorString());
    log.close();
    if (isRoot()) {
        // PostgreSQL refuses to run as root: its tools run as the postgres user, which must
        // own the data directory and the log, and reach both.
        const passwd *user = ::getpwnam("postgres");
        if (user == nullptr)
            return fail(u"running as root, but there is no postgres user to run the server as"_s);
        QString error;
        if (!makeTraversable(m_dir.path(), &error))
            return fail(error);
        for (const QString &path : {dataDir(), logPath()}) {
            if (::chown(QFile::encodeName(path).constData(), user->pw_uid, user->pw_gid) != 0)
                return fail(systemError(u"chown postgres"_s, path));
        }
    }
    const QString locale = hasLocale("C.UTF-8") ? u"C.UTF-8"_s : u"C"_s;
    if (!run(u"initdb"_s,
             {u"-D"_s, dataDir(), u"-A"_s, u"trust"_s, u"-U"_s, u"switchyard"_s, u"-E"_s, u"UTF8"_s, u"--no-sync"_s,
              u"--locale="_s + locale},
             InitdbTimeoutMs, true))
        return false;
    m_initialized = true;
    return true;
}

bool PostgresServer::startOn(quint16 port, bool *portTaken)
{
    const qint64 logStart = QFileInfo(logPath()).size();
    const QString options = u"-c listen_addresses=127.0.0.1 -p %1 -c unix_socket_directories='' -c fsync=off"
                            u" -c max_connections=100 -c shared_buffers=32MB"_s.arg(port);
    if (run(u"pg_ctl"_s,
            {u"start"_s, u"-w"_s, u"-t"_s, QString::number(PgCtlSeconds), u"-D"_s, dataDir(), u"-l"_s, logPath(), u"-o"_s, options},
            PgCtlTimeoutMs, true)) {
        m_running = true;
        return true;
    }
    QString serverLog;
    QFile log(logPath());
    if (log.open(QIODevice::ReadOnly) && log.seek(logStart))
        serverLog = QString::fromUtf8(log.readAll());
    *portTaken = serverLog.contains(u"Address already in use"_s);
    const QString error = m_error + u"\nserver log (port %1):\n"_s.arg(port) + lastLines(serverLog, LogTailLines);
    shutDown(u"immediate"_s); // a server that did not get ready in time may still be starting
    m_error = error;
    return false;
}

bool PostgresServer::shutDown(const QString &mode)
{
    if (!m_initialized || !QFileInfo::exists(QDir(dataDir()).filePath(u"postmaster.pid"_s))) {
        m_running = false;
        return true;
    }
    if (!run(u"pg_ctl"_s, {u"stop"_s, u"-m"_s, mode, u"-w"_s, u"-t"_s, QString::number(PgCtlSeconds), u"-D"_s, dataDir()}, PgCtlTimeoutMs,
             true))
        return false;
    m_running = false;
    return true;
}

bool PostgresServer::run(const QString &tool, const QStringList &arguments, int timeoutMs, bool asServerUser)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name : environment.keys()) {
        if (name.startsWith(u"PG"_s)) // PGDATA, PGPORT, PGHOST... of the caller's own server
            environment.remove(name);
    }
    environment.insert(u"PGCONNECT_TIMEOUT"_s, u"10"_s);
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_dir.path()); // one the postgres user may enter
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QString program = QDir(m_binDir).filePath(tool);
    if (asServerUser && isRoot()) {
        const QString runuser = QStandardPaths::findExecutable(u"runuser"_s, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s});
        if (runuser.isEmpty())
            return fail(u"running as root, but there is no runuser (util-linux) to run %1 as postgres"_s.arg(tool));
        process.start(runuser, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, program} + arguments);
    } else {
        process.start(program, arguments);
    }
    if (!process.waitForFinished(timeoutMs)) {
        const QString reason =
            process.state() == QProcess::NotRunning ? process.errorString() : u"no end after %1 s"_s.arg(timeoutMs / 1000);
        process.kill();
        process.waitForFinished(5000);
        return fail(u"%1: %2\n%3"_s.arg(tool, reason, QString::fromLocal8Bit(process.readAll()).trimmed()));
    }
    if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0)
        return true;
    return fail(u"%1 failed (exit %2):\n%3"_s.arg(tool).arg(process.exitCode()).arg(QString::fromLocal8Bit(process.readAll()).trimmed()));
}

bool PostgresServer::fail(const QString &message)
{
    m_error = message;
    return false;
}

QString PostgresServer::dataDir() const
{
    return QDir(m_dir.path()).filePath(u"data"_s);
}

QString PostgresServer::logPath() const
{
    return QDir(m_dir.path()).filePath(u"server.log"_s);
}

QSqlDatabase PostgresServer::connect(const QString &connectionName, const QString &database) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(QStringLiteral("127.0.0.1"));
    db.setPort(m_port);
    db.setUserName(QStringLiteral("switchyard"));
    db.setDatabaseName(database);
    db.setConnectOptions(QStringLiteral("connect_timeout=5"));
    db.open();
    return db;
}

} // namespace Switchyard::Test
