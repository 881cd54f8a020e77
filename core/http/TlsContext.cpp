// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/http/TlsContext.h"
#include <QFile>
#include <QSslKey>
#include <QSslSocket>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace Switchyard::TlsContext {

namespace {

Result<QByteArray> readPem(const QString &field, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("%1: cannot read %2: %3").arg(field, path, file.errorString())};
    return file.readAll();
}

// Qt cannot tell whether a key matches a certificate; OpenSSL can. Without this check a
// mismatched pair starts fine and then fails every handshake.
bool keyMatchesCertificate(const QByteArray &certPem, const QByteArray &keyPem)
{
    BIO *certBio = BIO_new_mem_buf(certPem.constData(), int(certPem.size()));
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    X509 *cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    const bool matches = cert && key && X509_check_private_key(cert, key) == 1;
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(keyBio);
    BIO_free(certBio);
    return matches;
}

} // namespace

Result<TlsServerConfig> load(const QString &certPath, const QString &keyPath)
{
    const QString certField = QStringLiteral("listen.tls_cert");
    const QString keyField = QStringLiteral("listen.tls_key");
    if (!QSslSocket::supportsSsl())
        return Error{QStringLiteral("%1: this Qt has no TLS backend (%2)").arg(certField, QSslSocket::activeBackend())};
    const Result<QByteArray> certPem = readPem(certField, certPath);
    if (!certPem)
        return certPem.error();
    const Result<QByteArray> keyPem = readPem(keyField, keyPath);
    if (!keyPem)
        return keyPem.error();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem.value(), QSsl::Pem);
    if (chain.isEmpty())
        return Error{QStringLiteral("%1: %2 holds no PEM certificate").arg(certField, certPath)};
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa})
        if (key = QSslKey(keyPem.value(), algorithm, QSsl::Pem); !key.isNull())
            break;
    if (key.isNull())
        return Error{QStringLiteral("%1: %2 holds no unencrypted PEM private key (EC or RSA)").arg(keyField, keyPath)};
    if (!keyMatchesCertificate(certPem.value(), keyPem.value()))
        return Error{QStringLiteral("%1: the key in %2 does not belong to the certificate in %3").arg(keyField, keyPath, certPath)};
    auto config = std::make_shared<QSslConfiguration>(QSslConfiguration::defaultConfiguration());
    config->setLocalCertificateChain(chain);
    config->setPrivateKey(key);
    config->setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with listen.token
    config->setProtocol(QSsl::TlsV1_2OrLater);
    return TlsServerConfig(std::move(config));
}

} // namespace Switchyard::TlsContext
