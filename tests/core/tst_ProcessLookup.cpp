// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/attribution/ProcessLookup.h"
#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>
#include <memory>

using namespace Switchyard;

class TestProcessLookup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void socketInode_data();
    void socketInode();
    void commandLine_data();
    void commandLine();
    void fakeProcTree_data();
    void fakeProcTree();
    void socketWithoutOwnerIsNotFound();
    void realConnection_data();
    void realConnection();
    void realConnectionThroughQueue();
    void nonLoopbackIsIgnored();
    void unknownConnectionIsQuiet();
    void queueDestroyedDuringLookup();
};

namespace {

// Exact layouts of the kernel's tables (header, then one row per socket).
const QByteArray TcpHeader =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const QByteArray Tcp6Header = "  sl  local_address                         remote_address                        st "
                              "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

QByteArray row(int sl, const char *local, const char *remote, const char *state, const char *inode)
{
    return QByteArray::number(sl).rightJustified(4, ' ') + ": " + local + ' ' + remote + ' ' + state
        + " 00000000:00000000 00:00000000 00000000  1000        0 " + inode
        + " 1 0000000000000000 20 4 30 10 -1\n";
}

// 127.0.0.1:50000 -> 127.0.0.1:4141 (client row), its server row, a TIME_WAIT row, and
// 10.0.2.15:54321 -> 93.184.216.34:443 whose bytes show the word order.
QByteArray tcpTable()
{
    return TcpHeader + row(0, "0100007F:102D", "00000000:0000", "0A", "31337")
        + row(1, "0100007F:C350", "0100007F:102D", "01", "424242")
        + row(2, "0100007F:102D", "0100007F:C350", "01", "424243")
        + "   3: 0100007F:C351 0100007F:102D 06 00000000:00000000 03:00000000 00000000     0        0 0 3 "
          "0000000000000000\n"
        + row(4, "0F02000A:D431", "22D8B85D:01BB", "01", "777");
}

QByteArray tcp6Table()
{
    return Tcp6Header
        + row(0, "00000000000000000000000001000000:C350", "00000000000000000000000001000000:102D", "01", "515151")
        + row(1, "0000000000000000FFFF00000100007F:C352", "0000000000000000FFFF00000100007F:102D", "01", "616161")
        + row(2, "B80D0120000000000000000078563412:C350", "B80D0120000000000000000001000000:01BB", "01", "717171");
}

QByteArray malformedThenValid()
{
    return TcpHeader + "garbage\n\n"
        + row(0, "0100007F:C35", "0100007F:102D", "01", "1")          // three-digit port
        + row(1, "0100007G:C350", "0100007F:102D", "01", "2")         // not hex
        + row(2, "0x00007F:C350", "0100007F:102D", "01", "3")         // prefix
        + row(3, "00007F:C350", "0100007F:102D", "01", "4")           // short address
        + row(4, "0100007F:C350", "0100007F:102D", "01", "inode")     // inode not a number
        + "   5: 0100007F:C350 0100007F:102D 01 00000000:00000000\n"  // cut short
        + row(6, "0100007F:C350", "0100007F:102D", "01", "99");
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return QDir().mkpath(QFileInfo(path).path()) && file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

bool symlink(const QString &target, const QString &link)
{
    return QDir().mkpath(QFileInfo(link).path()) && QFile::link(target, link);
}

// A /proc with net/tcp{,6}, a kernel-ish pid 1, a pid whose fds we may not read, and pid
// 4242 holding the client socket of tcpTable() (inode 424242) next to a look-alike inode.
bool writeFakeProc(const QString &root, const QString &exeTarget, bool withOwner)
{
    const QString p = root + QStringLiteral("/4242/");
    return writeFile(root + QStringLiteral("/net/tcp"), tcpTable()) && writeFile(root + QStringLiteral("/net/tcp6"), Tcp6Header)
        && QDir(root).mkpath(QStringLiteral("self")) && QDir(root).mkpath(QStringLiteral("17"))
        && symlink(QStringLiteral("/dev/null"), root + QStringLiteral("/1/fd/0"))
        && symlink(QStringLiteral("socket:[1]"), root + QStringLiteral("/1/fd/1"))
        && symlink(QStringLiteral("/dev/pts/0"), p + QStringLiteral("fd/0"))
        && symlink(QStringLiteral("socket:[4242420]"), p + QStringLiteral("fd/3"))
        && (!withOwner || symlink(QStringLiteral("socket:[424242]"), p + QStringLiteral("fd/7")))
        && (exeTarget.isEmpty() || symlink(exeTarget, p + QStringLiteral("exe")))
        && symlink(QStringLiteral("/home/dev/projects/switchyard"), p + QStringLiteral("cwd"))
        && writeFile(p + QStringLiteral("cmdline"), QByteArray("python3\0-m\0aider\0--model\0gpt-4o\0", 32))
        && writeFile(p + QStringLiteral("comm"), "python3\n");
}

const QHostAddress Loopback(QHostAddress::LocalHost);

struct LoopbackConnection
{
    QTcpServer server;
    QTcpSocket client;
    QTcpSocket *accepted = nullptr; // the server's view, as the gateway sees its clients
};

bool connectLoopback(LoopbackConnection &connection, const QHostAddress &listen, const QHostAddress &target)
{
    if (!connection.server.listen(listen))
        return false;
    connection.client.connectToHost(target, connection.server.serverPort());
    if (!connection.client.waitForConnected(5000) || !connection.server.waitForNewConnection(5000))
        return false;
    connection.accepted = connection.server.nextPendingConnection();
    return connection.accepted != nullptr;
}

// Lets every lookup finish, then delivers what they posted.
void drainLookups()
{
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::sendPostedEvents();
}

qsizetype foundSignals(const QHostAddress &client, quint16 clientPort, const QHostAddress &server, quint16 serverPort)
{
    ProcessLookupQueue queue;
    QSignalSpy found(&queue, &ProcessLookupQueue::found);
    queue.request(1, client, clientPort, server, serverPort);
    drainLookups();
    return found.count();
}

} // namespace

void TestProcessLookup::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); // lookups degrade quietly
}

void TestProcessLookup::socketInode_data()
{
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<QString>("local");
    QTest::addColumn<int>("localPort");
    QTest::addColumn<QString>("remote");
    QTest::addColumn<int>("remotePort");
    QTest::addColumn<qulonglong>("inode"); // 0: no row

    const QString v4 = QStringLiteral("127.0.0.1");
    const QString mapped = QStringLiteral("::ffff:127.0.0.1");
    const QString v6 = QStringLiteral("::1");
    QTest::newRow("IPv4 client row") << tcpTable() << v4 << 50000 << v4 << 4141 << 424242ULL;
    QTest::newRow("IPv4 server row is the other end") << tcpTable() << v4 << 4141 << v4 << 50000 << 424243ULL;
    QTest::newRow("IPv4 byte order") << tcpTable() << QStringLiteral("10.0.2.15") << 54321
                                     << QStringLiteral("93.184.216.34") << 443 << 777ULL;
    QTest::newRow("v4-mapped query finds an IPv4 row") << tcpTable() << mapped << 50000 << mapped << 4141 << 424242ULL;
    QTest::newRow("TIME_WAIT row has no inode") << tcpTable() << v4 << 50001 << v4 << 4141 << 0ULL;
    QTest::newRow("no match") << tcpTable() << v4 << 50002 << v4 << 4141 << 0ULL;
    QTest::newRow("reversed ports do not match") << tcpTable() << v4 << 4141 << v4 << 50001 << 0ULL;
    QTest::newRow("IPv6 loopback ::1") << tcp6Table() << v6 << 50000 << v6 << 4141 << 515151ULL;
    QTest::newRow("v4-mapped ::ffff:127.0.0.1") << tcp6Table() << mapped << 50002 << mapped << 4141 << 616161ULL;
    QTest::newRow("IPv4 query finds a v4-mapped row") << tcp6Table() << v4 << 50002 << v4 << 4141 << 616161ULL;
    QTest::newRow("IPv6 word order") << tcp6Table() << QStringLiteral("2001:db8::1234:5678") << 50000
                                     << QStringLiteral("2001:db8::1") << 443 << 717171ULL;
    QTest::newRow("::1 is not 127.0.0.1") << tcp6Table() << v4 << 50000 << v4 << 4141 << 0ULL;
    QTest::newRow("malformed lines skipped") << malformedThenValid() << v4 << 50000 << v4 << 4141 << 99ULL;
    QTest::newRow("empty table") << QByteArray() << v4 << 50000 << v4 << 4141 << 0ULL;
    QTest::newRow("header only") << TcpHeader << v4 << 50000 << v4 << 4141 << 0ULL;
}

void TestProcessLookup::socketInode()
{
    QFETCH(QByteArray, table);
    QFETCH(QString, local);
    QFETCH(int, localPort);
    QFETCH(QString, remote);
    QFETCH(int, remotePort);
    QFETCH(qulonglong, inode);

    const std::optional<quint64> found = ProcessLookup::socketInode(table, QHostAddress(local), quint16(localPort),
                                                                    QHostAddress(remote), quint16(remotePort));
    QCOMPARE(found.value_or(0), inode);
}

void TestProcessLookup::commandLine_data()
{
    QTest::addColumn<QByteArray>("cmdline");
    QTest::addColumn<QString>("expected");

    QTest::newRow("NUL separated") << QByteArray("node\0/usr/bin/claude\0--print\0", 29)
                                   << QStringLiteral("node /usr/bin/claude --print");
    QTest::newRow("empty argument kept") << QByteArray("aider\0\0--yes\0", 13) << QStringLiteral("aider  --yes");
    QTest::newRow("rewritten title without NULs") << QByteArray("python3 worker.py") << QStringLiteral("python3 worker.py");
    QTest::newRow("kernel thread has none") << QByteArray() << QString();
    QTest::newRow("capped") << QByteArray(1000, 'x')
                            << QString(QString(ProcessLookup::CommandLineLimit - 1, QLatin1Char('x')) + QChar(0x2026));
    QTest::newRow("exactly at the cap") << QByteArray(ProcessLookup::CommandLineLimit, 'y')
                                        << QString(ProcessLookup::CommandLineLimit, QLatin1Char('y'));
}

void TestProcessLookup::commandLine()
{
    QFETCH(QByteArray, cmdline);
    QFETCH(QString, expected);
    QCOMPARE(ProcessLookup::commandLine(cmdline), expected);
}

void TestProcessLookup::fakeProcTree_data()
{
    QTest::addColumn<QString>("exeTarget");
    QTest::addColumn<QString>("executable");

    QTest::newRow("exe link") << QStringLiteral("/usr/bin/python3.11") << QStringLiteral("python3.11");
    QTest::newRow("replaced binary") << QStringLiteral("/usr/bin/python3.11 (deleted)") << QStringLiteral("python3.11");
    QTest::newRow("exe not readable, comm") << QString() << QStringLiteral("python3");
}

void TestProcessLookup::fakeProcTree()
{
    QFETCH(QString, exeTarget);
    QFETCH(QString, executable);
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(writeFakeProc(root.path(), exeTarget, true));

    const std::optional<ClientProcess> process = ProcessLookup::find(Loopback, 50000, Loopback, 4141, root.path());
    QVERIFY(process.has_value());
    QCOMPARE(process->pid, qint64(4242));
    QCOMPARE(process->executable, executable);
    QCOMPARE(process->commandLine, QStringLiteral("python3 -m aider --model gpt-4o"));
    QCOMPARE(process->workingDirectory, QStringLiteral("/home/dev/projects/switchyard"));
}

void TestProcessLookup::socketWithoutOwnerIsNotFound()
{
    QTemporaryDir root;
    QVERIFY(writeFakeProc(root.path(), QStringLiteral("/usr/bin/python3.11"), false));
    QVERIFY(!ProcessLookup::find(Loopback, 50000, Loopback, 4141, root.path()));
}

void TestProcessLookup::realConnection_data()
{
    QTest::addColumn<QHostAddress>("listen");
    QTest::addColumn<QHostAddress>("target");

    QTest::newRow("IPv4 127.0.0.1") << Loopback << Loopback;
    QTest::newRow("IPv6 ::1") << QHostAddress(QHostAddress::LocalHostIPv6) << QHostAddress(QHostAddress::LocalHostIPv6);
    QTest::newRow("dual-stack, v4-mapped peer") << QHostAddress(QHostAddress::Any) << Loopback;
}

void TestProcessLookup::realConnection()
{
    QFETCH(QHostAddress, listen);
    QFETCH(QHostAddress, target);
    LoopbackConnection connection;
    if (!connectLoopback(connection, listen, target))
        QSKIP("this machine cannot open that loopback connection");
    const QTcpSocket &peer = *connection.accepted;

    const std::optional<ClientProcess> process =
        ProcessLookup::find(peer.peerAddress(), peer.peerPort(), peer.localAddress(), peer.localPort());
    QVERIFY(process.has_value());
    QCOMPARE(process->pid, QCoreApplication::applicationPid());
    QCOMPARE(process->executable, QStringLiteral("tst_ProcessLookup"));
    QVERIFY2(process->commandLine.contains(QStringLiteral("tst_ProcessLookup")), qPrintable(process->commandLine));
    QCOMPARE(process->workingDirectory, QDir::currentPath());
}

void TestProcessLookup::realConnectionThroughQueue()
{
    LoopbackConnection connection;
    QVERIFY(connectLoopback(connection, Loopback, Loopback));
    const QTcpSocket &peer = *connection.accepted;
    ProcessLookupQueue queue;
    QSignalSpy found(&queue, &ProcessLookupQueue::found);
    QThread *deliveredOn = nullptr;
    connect(&queue, &ProcessLookupQueue::found, this, [&deliveredOn] { deliveredOn = QThread::currentThread(); });

    queue.request(7, peer.peerAddress(), peer.peerPort(), peer.localAddress(), peer.localPort());
    QVERIFY(found.wait(5000));
    QCOMPARE(found.constFirst().at(0).toULongLong(), 7ULL);
    const auto process = found.constFirst().at(1).value<ClientProcess>();
    QCOMPARE(process.pid, QCoreApplication::applicationPid());
    QCOMPARE(process.executable, QStringLiteral("tst_ProcessLookup"));
    QCOMPARE(deliveredOn, QThread::currentThread());
}

void TestProcessLookup::nonLoopbackIsIgnored()
{
    const QHostAddress client(QStringLiteral("192.0.2.10"));
    const QHostAddress server(QStringLiteral("192.0.2.1"));
    QVERIFY(!ProcessLookup::find(client, 50000, server, 4141));
    QVERIFY(!ProcessLookup::find(QHostAddress(QStringLiteral("::ffff:192.0.2.10")), 50000, server, 4141));
    QVERIFY(!ProcessLookup::find(QHostAddress(), 50000, server, 4141));
    QCOMPARE(foundSignals(client, 50000, server, 4141), qsizetype(0));
}

void TestProcessLookup::unknownConnectionIsQuiet()
{
    // Port 1 is never an ephemeral client port, so no such connection exists.
    QVERIFY(!ProcessLookup::find(Loopback, 1, Loopback, 2));
    QVERIFY(!ProcessLookup::find(Loopback, 50000, Loopback, 4141, QStringLiteral("/nonexistent/proc")));
    QCOMPARE(foundSignals(Loopback, 1, Loopback, 2), qsizetype(0));
}

void TestProcessLookup::queueDestroyedDuringLookup()
{
    LoopbackConnection connection;
    QVERIFY(connectLoopback(connection, Loopback, Loopback));
    const QTcpSocket &peer = *connection.accepted;
    auto queue = std::make_unique<ProcessLookupQueue>();
    for (quint64 id = 0; id < 8; ++id)
        queue->request(id, peer.peerAddress(), peer.peerPort(), peer.localAddress(), peer.localPort());
    queue.reset(); // lookups still running must not touch it
    drainLookups(); // nothing is delivered to the dead queue
}

QTEST_GUILESS_MAIN(TestProcessLookup)
#include "tst_ProcessLookup.moc"
