// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/CurlCommand.h"
#include "core/secrets/SecretMasker.h"

namespace Switchyard::CurlCommand {

namespace {

// Single quotes for the shell: a quote inside becomes '\''.
QString quoted(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

bool kept(const QByteArray &name)
{
    // What shapes the answer; not what the connection or the client's identity adds.
    static const QList<QByteArray> names{"content-type", "accept", "anthropic-version", "anthropic-beta", "openai-beta"};
    return !SecretMasker::isCredentialHeader(name) && names.contains(name.toLower());
}

} // namespace

QString build(const QString &gatewayUrl, const CallRecord &record, bool needsToken)
{
    QStringList parts{QStringLiteral("curl")};
    if (record.stream)
        parts << QStringLiteral("-N");
    parts << quoted(gatewayUrl + record.endpoint);
    bool contentType = false;
    for (const auto &[name, value] : record.requestHeaders) {
        if (!kept(name))
            continue;
        contentType = contentType || name.compare("content-type", Qt::CaseInsensitive) == 0;
        parts << QStringLiteral("-H") << quoted(QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromLatin1(value));
    }
    if (!contentType)
        parts << QStringLiteral("-H") << quoted(QStringLiteral("content-type: application/json"));
    if (needsToken)
        parts << QStringLiteral("-H") << QStringLiteral("\"Authorization: Bearer $SWITCHYARD_TOKEN\"");
    parts << QStringLiteral("--data-binary") << quoted(QString::fromUtf8(record.requestBody));
    return parts.join(QLatin1Char(' '));
}

} // namespace Switchyard::CurlCommand
