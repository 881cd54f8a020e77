// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigParser.h"
#include "core/config/ConfigSections.h"
#include "core/config/JsonFieldReader.h"
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace Switchyard {
namespace {

// QJsonParseError::offset points just past the character at fault; report that character.
QString lineColumn(const QByteArray &json, int errorOffset)
{
    const int offset = qMax(0, errorOffset - 1);
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < json.size(); ++i) {
        if (json.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

RetryPolicy readRetry(JsonFieldReader &r, const QJsonObject &o, const QString &path, const RetryPolicy &base)
{
    r.onlyKeys(o, path, {QStringLiteral("max_attempts"), QStringLiteral("backoff_ms")});
    RetryPolicy p = base;
    p.maxAttempts = int(r.integer(o, path, QStringLiteral("max_attempts"), 1, 10, base.maxAttempts));
    p.backoffMs = int(r.integer(o, path, QStringLiteral("backoff_ms"), 0, 600000, base.backoffMs));
    return p;
}

Timeouts readTimeouts(JsonFieldReader &r, const QJsonObject &o, const QString &path, const Timeouts &base)
{
    r.onlyKeys(o, path, {QStringLiteral("connect_ms"), QStringLiteral("first_byte_ms"),
                         QStringLiteral("idle_ms"), QStringLiteral("total_ms")});
    const int day = 24 * 3600 * 1000;
    Timeouts t = base;
    t.connectMs = int(r.integer(o, path, QStringLiteral("connect_ms"), 1, day, base.connectMs));
    t.firstByteMs = int(r.integer(o, path, QStringLiteral("first_byte_ms"), 1, day, base.firstByteMs));
    t.idleMs = int(r.integer(o, path, QStringLiteral("idle_ms"), 1, day, base.idleMs));
    t.totalMs = int(r.integer(o, path, QStringLiteral("total_ms"), 1, day, base.totalMs));
    if (t.totalMs < t.connectMs)
        r.fail(JsonFieldReader::join(path, QStringLiteral("total_ms")),
               QStringLiteral("must be at least connect_ms (%1), got %2").arg(t.connectMs).arg(t.totalMs));
    return t;
}

void readProviders(JsonFieldReader &r, const QJsonArray &array, QList<ProviderConfig> &out)
{
    static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QHash<QString, int> seen;
    for (int i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("providers[%1]").arg(i);
        const QJsonObject o = r.object(array.at(i), path);
        r.onlyKeys(o, path, {QStringLiteral("name"), QStringLiteral("kind"), QStringLiteral("base_url"),
                             QStringLiteral("api_key_env"), QStringLiteral("api_key_keychain"), QStringLiteral("api_key")});
        ProviderConfig p;
        p.name = r.string(o, path, QStringLiteral("name"), JsonFieldReader::Required);
        if (!p.name.isEmpty()) {
            if (p.name.contains(QLatin1Char('/')))
                r.fail(path + QStringLiteral(".name"), QStringLiteral("must not contain '/', got \"%1\"").arg(p.name));
            else if (seen.contains(p.name))
                r.fail(path + QStringLiteral(".name"), QStringLiteral("duplicate provider \"%1\" (also providers[%2])").arg(p.name).arg(seen.value(p.name)));
            seen.insert(p.name, i);
        }
        const QString kind = r.string(o, path, QStringLiteral("kind"), JsonFieldReader::Required);
        if (kind == QLatin1String("anthropic"))
            p.kind = ProviderKind::Anthropic;
        else if (!kind.isEmpty() && kind != QLatin1String("openai"))
            r.fail(path + QStringLiteral(".kind"), QStringLiteral("unknown kind \"%1\"; expected \"openai\" or \"anthropic\"").arg(kind));
        const QString url = r.string(o, path, QStringLiteral("base_url"), JsonFieldReader::Required);
        if (!url.isEmpty()) {
            p.baseUrl = QUrl(url, QUrl::StrictMode);
            const QString scheme = p.baseUrl.scheme();
            if (!p.baseUrl.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
                || p.baseUrl.host().isEmpty())
                r.fail(path + QStringLiteral(".base_url"), QStringLiteral("not an http(s) URL: \"%1\"").arg(url));
        }
        p.apiKeyEnv = r.string(o, path, QStringLiteral("api_key_env"), JsonFieldReader::Optional);
        // A long value here is most likely the key itself, pasted where its variable's name
        // belongs: never repeat that one.
        if (!p.apiKeyEnv.isEmpty() && !envName.match(p.apiKeyEnv).hasMatch())
            r.fail(path + QStringLiteral(".api_key_env"),
                   p.apiKeyEnv.size() <= 24 ? QStringLiteral("not an environment variable name: \"%1\"").arg(p.apiKeyEnv)
                                            : QStringLiteral("not an environment variable name (the key itself? give the name of the variable that holds it)"));
        p.apiKeyKeychain = r.string(o, path, QStringLiteral("api_key_keychain"), JsonFieldReader::Optional);
        if (o.value(QStringLiteral("api_key_keychain")).isString() && p.apiKeyKeychain.trimmed().isEmpty())
            r.fail(path + QStringLiteral(".api_key_keychain"), QStringLiteral("must name a keychain entry, got \"\""));
        p.apiKey = r.string(o, path, QStringLiteral("api_key"), JsonFieldReader::Optional);
        const int sources = int(!p.apiKeyEnv.isEmpty()) + int(!p.apiKeyKeychain.isEmpty()) + int(!p.apiKey.isEmpty());
        if (sources > 1)
            r.fail(path, QStringLiteral("give the key one way: api_key_env, api_key_keychain or api_key, not several"));
        out.append(p);
    }
}

QString closestName(const QString &name, const QStringList &candidates)
{
    // A one- or two-letter slip ("opnai") gets a suggestion; anything further does not.
    auto distance = [](const QString &a, const QString &b) {
        QList<int> prev(b.size() + 1), cur(b.size() + 1);
        for (int j = 0; j <= b.size(); ++j)
            prev[j] = j;
        for (int i = 1; i <= a.size(); ++i) {
            cur[0] = i;
            for (int j = 1; j <= b.size(); ++j)
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            std::swap(prev, cur);
        }
        return prev[b.size()];
    };
    QString best;
    int bestDistance = 3;
    for (const QString &c : candidates) {
        const int d = distance(name, c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

TargetConfig readTarget(JsonFieldReader &r, const QJsonObject &o, const QString &path, const Config &config)
{
    r.onlyKeys(o, path, {QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("weight"),
                         QStringLiteral("retry"), QStringLiteral("timeouts")});
    TargetConfig t;
    t.provider = r.string(o, path, QStringLiteral("provider"), JsonFieldReader::Required);
    if (!t.provider.isEmpty() && !config.provider(t.provider)) {
        QStringList names;
        for (const ProviderConfig &p : config.providers)
            names << p.name;
        const QString hint = closestName(t.provider, names);
        r.fail(path + QStringLiteral(".provider"),
               QStringLiteral("unknown provider \"%1\"").arg(t.provider)
                   + (hint.isEmpty() ? QString() : QStringLiteral(" (did you mean \"%1\"?)").arg(hint)));
    }
    t.model = r.string(o, path, QStringLiteral("model"), JsonFieldReader::Required);
    if (o.contains(QLatin1String("weight"))) {
        const double w = r.number(o, path, QStringLiteral("weight"), 0);
        if (w <= 0 && o.value(QLatin1String("weight")).isDouble()) // a non-number is reported once, above
            r.fail(path + QStringLiteral(".weight"), QStringLiteral("must be greater than 0, got %1").arg(w));
        t.weight = w;
    }
    if (o.contains(QLatin1String("retry")))
        t.retry = readRetry(r, r.object(o.value(QLatin1String("retry")), path + QStringLiteral(".retry")),
                            path + QStringLiteral(".retry"), config.retry);
    if (o.contains(QLatin1String("timeouts")))
        t.timeouts = readTimeouts(r, r.object(o.value(QLatin1String("timeouts")), path + QStringLiteral(".timeouts")),
                                  path + QStringLiteral(".timeouts"), config.timeouts);
    return t;
}

void readAliases(JsonFieldReader &r, const QJsonArray &array, Config &config)
{
    QHash<QString, int> seen;
    for (int i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("aliases[%1]").arg(i);
        const QJsonObject o = r.object(array.at(i), path);
        r.onlyKeys(o, path, {QStringLiteral("name"), QStringLiteral("strategy"), QStringLiteral("targets"),
                             QStringLiteral("translation"), QStringLiteral("sticky")});
        AliasConfig a;
        a.name = r.string(o, path, QStringLiteral("name"), JsonFieldReader::Required);
        if (!a.name.isEmpty()) {
            if (a.name.contains(QLatin1Char('/')))
                r.fail(path + QStringLiteral(".name"), QStringLiteral("must not contain '/' (reserved for provider/model), got \"%1\"").arg(a.name));
            else if (seen.contains(a.name))
                r.fail(path + QStringLiteral(".name"), QStringLiteral("duplicate alias \"%1\" (also aliases[%2])").arg(a.name).arg(seen.value(a.name)));
            seen.insert(a.name, i);
        }
        const QString strategy = r.string(o, path, QStringLiteral("strategy"), JsonFieldReader::Optional, QStringLiteral("fallback"));
        if (strategy == QLatin1String("weighted"))
            a.strategy = Strategy::Weighted;
        else if (strategy == QLatin1String("least-latency"))
            a.strategy = Strategy::LeastLatency;
        else if (strategy != QLatin1String("fallback"))
            r.fail(path + QStringLiteral(".strategy"),
                   QStringLiteral("unknown strategy \"%1\"; expected \"fallback\", \"weighted\" or \"least-latency\"").arg(strategy));
        const QString translation =
            r.string(o, path, QStringLiteral("translation"), JsonFieldReader::Optional, QStringLiteral("lenient"));
        a.strictTranslation = translation == QLatin1String("strict");
        if (translation != QLatin1String("strict") && translation != QLatin1String("lenient"))
            r.fail(path + QStringLiteral(".translation"),
                   QStringLiteral("unknown translation mode \"%1\"; expected \"lenient\" or \"strict\"").arg(translation));
        const QString sticky = r.string(o, path, QStringLiteral("sticky"), JsonFieldReader::Optional, QStringLiteral("none"));
        a.stickySession = sticky == QLatin1String("session");
        if (sticky != QLatin1String("session") && sticky != QLatin1String("none"))
            r.fail(path + QStringLiteral(".sticky"), QStringLiteral("unknown sticky mode \"%1\"; expected \"session\" or \"none\"").arg(sticky));
        const QJsonArray targets = r.array(o, path, QStringLiteral("targets"), JsonFieldReader::Required);
        if (o.contains(QLatin1String("targets")) && targets.isEmpty() && o.value(QLatin1String("targets")).isArray())
            r.fail(path + QStringLiteral(".targets"), QStringLiteral("must list at least one target"));
        for (int j = 0; j < targets.size(); ++j) {
            const QString tpath = path + QStringLiteral(".targets[%1]").arg(j);
            TargetConfig t = readTarget(r, r.object(targets.at(j), tpath), tpath, config);
            if (a.strategy == Strategy::Weighted && !t.weight)
                r.fail(tpath + QStringLiteral(".weight"), QStringLiteral("required when strategy is \"weighted\""));
            a.targets.append(t);
        }
        config.aliases.append(a);
    }
}

void readPricing(JsonFieldReader &r, const QJsonArray &array, QList<PriceOverride> &out)
{
    for (int i = 0; i < array.size(); ++i) {
        const QString path = QStringLiteral("pricing[%1]").arg(i);
        const QJsonObject o = r.object(array.at(i), path);
        r.onlyKeys(o, path, {QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("input_per_mtok"),
                             QStringLiteral("output_per_mtok"), QStringLiteral("cached_input_per_mtok")});
        PriceOverride p;
        p.provider = r.string(o, path, QStringLiteral("provider"), JsonFieldReader::Required);
        p.model = r.string(o, path, QStringLiteral("model"), JsonFieldReader::Required);
        p.inputPerMtok = r.price(o, path, QStringLiteral("input_per_mtok"), JsonFieldReader::Required).value_or(0);
        p.outputPerMtok = r.price(o, path, QStringLiteral("output_per_mtok"), JsonFieldReader::Required).value_or(0);
        p.cachedInputPerMtok = r.price(o, path, QStringLiteral("cached_input_per_mtok"), JsonFieldReader::Optional);
        out.append(p);
    }
}

} // namespace

Result<Config, QStringList> ConfigParser::parse(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringList{QStringLiteral("%1: invalid JSON: %2").arg(lineColumn(json, parseError.offset), parseError.errorString())};
    if (!doc.isObject())
        return QStringList{QStringLiteral("(root): expected an object, got %1").arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a scalar"))};

    JsonFieldReader r;
    const QJsonObject root = doc.object();
    r.onlyKeys(root, QString(), {QStringLiteral("version"), QStringLiteral("listen"), QStringLiteral("providers"),
                                 QStringLiteral("aliases"), QStringLiteral("retry"), QStringLiteral("cooldown"),
                                 QStringLiteral("timeouts"), QStringLiteral("limits"), QStringLiteral("log"),
                                 QStringLiteral("telemetry"), QStringLiteral("pricing")});
    Config config;
    if (!root.contains(QLatin1String("version")))
        r.fail(QStringLiteral("version"), QStringLiteral("missing; this file format is version 1"));
    else if (root.value(QLatin1String("version")) != QJsonValue(1))
        r.fail(QStringLiteral("version"), QStringLiteral("unsupported version %1; expected 1")
                                              .arg(QString::fromUtf8(QJsonDocument(QJsonArray{root.value(QLatin1String("version"))}).toJson(QJsonDocument::Compact).mid(1).chopped(1))));
    if (root.contains(QLatin1String("listen")))
        ConfigSections::readListen(r, r.object(root.value(QLatin1String("listen")), QStringLiteral("listen")), config.listen);
    if (root.contains(QLatin1String("limits")))
        ConfigSections::readLimits(r, r.object(root.value(QLatin1String("limits")), QStringLiteral("limits")), config.limits);
    if (root.contains(QLatin1String("log")))
        ConfigSections::readLog(r, r.object(root.value(QLatin1String("log")), QStringLiteral("log")), config.log);
    if (root.contains(QLatin1String("telemetry")))
        ConfigSections::readTelemetry(r, r.object(root.value(QLatin1String("telemetry")), QStringLiteral("telemetry")), config.telemetry);
    if (root.contains(QLatin1String("retry")))
        config.retry = readRetry(r, r.object(root.value(QLatin1String("retry")), QStringLiteral("retry")), QStringLiteral("retry"), config.retry);
    if (root.contains(QLatin1String("cooldown"))) {
        const QJsonObject o = r.object(root.value(QLatin1String("cooldown")), QStringLiteral("cooldown"));
        r.onlyKeys(o, QStringLiteral("cooldown"), {QStringLiteral("failures"), QStringLiteral("seconds")});
        config.cooldown.failures = int(r.integer(o, QStringLiteral("cooldown"), QStringLiteral("failures"), 1, 1000, config.cooldown.failures));
        config.cooldown.seconds = int(r.integer(o, QStringLiteral("cooldown"), QStringLiteral("seconds"), 0, 86400, config.cooldown.seconds));
    }
    if (root.contains(QLatin1String("timeouts")))
        config.timeouts = readTimeouts(r, r.object(root.value(QLatin1String("timeouts")), QStringLiteral("timeouts")), QStringLiteral("timeouts"), config.timeouts);
    readProviders(r, r.array(root, QString(), QStringLiteral("providers"), JsonFieldReader::Required), config.providers);
    readAliases(r, r.array(root, QString(), QStringLiteral("aliases"), JsonFieldReader::Optional), config);
    readPricing(r, r.array(root, QString(), QStringLiteral("pricing"), JsonFieldReader::Optional), config.pricing);

    if (!r.errors().isEmpty())
        return r.errors();
    return config;
}

} // namespace Switchyard
