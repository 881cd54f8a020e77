// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/secrets/KeychainStore.h"
#include <QCoreApplication>
#include <QThread>
#include <qt6keychain/keychain.h>

namespace Switchyard {

namespace {

QString describe(const QKeychain::Job &job)
{
    switch (job.error()) {
    case QKeychain::EntryNotFound:
        return QStringLiteral("no entry \"%1\" in the system keychain (service \"%2\")").arg(job.key(), job.service());
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("no system keychain is available (%1); use an environment variable instead").arg(job.errorString());
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("the system keychain refused access (%1)").arg(job.errorString());
    default:
        return QStringLiteral("system keychain: %1").arg(job.errorString());
    }
}

} // namespace

KeychainStore::KeychainStore(QObject *parent)
    : QObject(parent)
{
    QThread *main = QCoreApplication::instance()->thread();
    Q_ASSERT(!parent || thread() == main);
    if (thread() != main)
        moveToThread(main);
}

QString KeychainStore::service()
{
    return QStringLiteral("switchyard");
}

void KeychainStore::read(const QString &entry)
{
    QMetaObject::invokeMethod(this, [this, entry] { startRead(entry); }); // queued from another thread
}

void KeychainStore::write(const QString &entry, const QByteArray &key)
{
    QMetaObject::invokeMethod(this, [this, entry, key] { startWrite(entry, key); });
}

void KeychainStore::remove(const QString &entry)
{
    QMetaObject::invokeMethod(this, [this, entry] { startRemove(entry); });
}

void KeychainStore::startRead(const QString &entry)
{
    auto *job = new QKeychain::ReadPasswordJob(service()); // no parent: qtkeychain deletes a job after it finished
    job->setKey(entry);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError)
            Q_EMIT keyRead(job->key(), job->textData().toUtf8()); // text: what secret-tool and other clients store
        else
            Q_EMIT failed(job->key(), describe(*job));
    });
    job->start();
}

void KeychainStore::startWrite(const QString &entry, const QByteArray &key)
{
    auto *job = new QKeychain::WritePasswordJob(service());
    job->setKey(entry);
    job->setTextData(QString::fromUtf8(key));
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError)
            Q_EMIT keyWritten(job->key());
        else
            Q_EMIT failed(job->key(), describe(*job));
    });
    job->start();
}

void KeychainStore::startRemove(const QString &entry)
{
    auto *job = new QKeychain::DeletePasswordJob(service());
    job->setKey(entry);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound)
            Q_EMIT keyRemoved(job->key());
        else
            Q_EMIT failed(job->key(), describe(*job));
    });
    job->start();
}

} // namespace Switchyard
