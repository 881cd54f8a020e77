// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/secrets/SecretMasker.h"
#include <QTest>

using namespace Switchyard;
using Fields = QList<HttpHeaders::Field>;

namespace {

HttpHeaders headers(const Fields &fields)
{
    HttpHeaders h;
    for (const auto &[name, value] : fields)
        h.add(name, value);
    return h;
}

const QByteArray openAiKey = "sk-proj-Abc123Def456Ghi789";
const QByteArray anthropicKey = "sk-ant-api03-XyZ987wvu654";

} // namespace

Q_DECLARE_METATYPE(Fields)

class TestSecretMasker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void credentialHeaders_data();
    void credentialHeaders();
    void maskedHeaders_data();
    void maskedHeaders();
    void maskedText_data();
    void maskedText();
};

void TestSecretMasker::credentialHeaders_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("credential");

    QTest::newRow("authorization") << QByteArray("authorization") << true;
    QTest::newRow("Authorization") << QByteArray("Authorization") << true;
    QTest::newRow("AUTHORIZATION") << QByteArray("AUTHORIZATION") << true;
    QTest::newRow("Proxy-Authorization") << QByteArray("Proxy-Authorization") << true;
    QTest::newRow("x-api-key") << QByteArray("x-api-key") << true;
    QTest::newRow("X-Api-Key") << QByteArray("X-Api-Key") << true;
    QTest::newRow("api-key") << QByteArray("api-key") << true;
    QTest::newRow("Cookie") << QByteArray("Cookie") << true;
    QTest::newRow("Set-Cookie") << QByteArray("Set-Cookie") << true;
    QTest::newRow("x-goog-api-key") << QByteArray("x-goog-api-key") << true;
    QTest::newRow("content-type") << QByteArray("Content-Type") << false;
    QTest::newRow("anthropic-version") << QByteArray("anthropic-version") << false;
    QTest::newRow("x-api-key-id is another header") << QByteArray("x-api-key-id") << false;
    QTest::newRow("authorization prefix") << QByteArray("authorizatio") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestSecretMasker::credentialHeaders()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, credential);
    QCOMPARE(SecretMasker::isCredentialHeader(name), credential);
}

void TestSecretMasker::maskedHeaders_data()
{
    QTest::addColumn<Fields>("in");
    QTest::addColumn<Fields>("out");

    QTest::newRow("bearer keeps its scheme") << Fields{{"Authorization", "Bearer " + openAiKey}}
                                             << Fields{{"Authorization", "Bearer ***"}};
    QTest::newRow("lower-case name and scheme") << Fields{{"authorization", "bearer sk-local-1234567890"}}
                                                << Fields{{"authorization", "bearer ***"}};
    QTest::newRow("basic credentials") << Fields{{"Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA=="}}
                                       << Fields{{"Proxy-Authorization", "Basic ***"}};
    QTest::newRow("authorization without a scheme")
        << Fields{{"Authorization", openAiKey}} << Fields{{"Authorization", "***"}};
    QTest::newRow("authorization whose first word is no scheme")
        << Fields{{"Authorization", "sk-1234 more-of-the-key"}} << Fields{{"Authorization", "***"}};
    QTest::newRow("x-api-key") << Fields{{"x-api-key", anthropicKey}} << Fields{{"x-api-key", "***"}};
    QTest::newRow("X-API-KEY") << Fields{{"X-API-KEY", anthropicKey}} << Fields{{"X-API-KEY", "***"}};
    QTest::newRow("api-key") << Fields{{"Api-Key", "0123456789abcdef"}} << Fields{{"Api-Key", "***"}};
    QTest::newRow("x-api-key with a space") << Fields{{"x-api-key", "key part-two"}} << Fields{{"x-api-key", "***"}};
    QTest::newRow("cookie fully masked") << Fields{{"Cookie", "session=abc123; theme=dark"}}
                                         << Fields{{"Cookie", "***"}};
    QTest::newRow("set-cookie fully masked")
        << Fields{{"set-cookie", "id=a3fWa; Expires=Thu, 21 Oct 2021 07:28:00 GMT; Secure"}}
        << Fields{{"set-cookie", "***"}};
    QTest::newRow("empty credential") << Fields{{"Authorization", ""}} << Fields{{"Authorization", "***"}};
    const Fields plain{{"Host", "127.0.0.1:4141"},
                       {"Content-Type", "application/json"},
                       {"User-Agent", "OpenAI/Python 1.35.3"},
                       {"anthropic-version", "2023-06-01"},
                       {"x-request-id", "req_123"}};
    QTest::newRow("other headers untouched") << plain << plain;
    QTest::newRow("order, spelling and repeats kept")
        << Fields{{"Host", "h"}, {"AUTHORIZATION", "Bearer abc"}, {"X-Trace", "1"}, {"Cookie", "a=b"},
                  {"X-Trace", "2"}, {"cookie", "c=d"}}
        << Fields{{"Host", "h"}, {"AUTHORIZATION", "Bearer ***"}, {"X-Trace", "1"}, {"Cookie", "***"},
                  {"X-Trace", "2"}, {"cookie", "***"}};
    QTest::newRow("planted key in another header's value")
        << Fields{{"X-Debug", "used key " + openAiKey + " twice: " + openAiKey}, {"X-Other", anthropicKey}}
        << Fields{{"X-Debug", "used key *** twice: ***"}, {"X-Other", "***"}};
    QTest::newRow("no headers") << Fields{} << Fields{};
}

void TestSecretMasker::maskedHeaders()
{
    QFETCH(Fields, in);
    QFETCH(Fields, out);

    const SecretMasker masker({openAiKey, anthropicKey});
    QCOMPARE(masker.masked(headers(in)).fields(), out);
}

void TestSecretMasker::maskedText_data()
{
    QTest::addColumn<QByteArrayList>("secrets");
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");

    const QByteArrayList keys{openAiKey, anthropicKey};
    QTest::newRow("key in a JSON body")
        << keys << QByteArray(R"({"error":{"message":"Incorrect API key provided: )" + openAiKey + R"(."}})")
        << QByteArray(R"({"error":{"message":"Incorrect API key provided: ***."}})");
    QTest::newRow("every occurrence of every key")
        << keys << openAiKey + anthropicKey + "|" + openAiKey << QByteArray("***" "***" "|***");
    QTest::newRow("text without keys untouched")
        << keys << QByteArray(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"sk-proj"}]})")
        << QByteArray(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"sk-proj"}]})");
    QTest::newRow("keys are case-sensitive")
        << keys << QByteArray(openAiKey).toLower() << QByteArray(openAiKey).toLower();
    QTest::newRow("keys shorter than 8 bytes ignored")
        << QByteArrayList{"abc", "1234567", openAiKey} << QByteArray("abc 1234567 " + openAiKey)
        << QByteArray("abc 1234567 ***");
    QTest::newRow("a key of exactly 8 bytes is masked")
        << QByteArrayList{"12345678"} << QByteArray("pin 12345678.") << QByteArray("pin ***.");
    QTest::newRow("a key that begins with another key")
        << QByteArrayList{"sk-abcdefgh", "sk-abcdefgh-and-more"} << QByteArray("[sk-abcdefgh-and-more] [sk-abcdefgh]")
        << QByteArray("[***] [***]");
    QTest::newRow("no keys") << QByteArrayList{} << openAiKey << openAiKey;
    QTest::newRow("empty keys") << QByteArrayList{QByteArray(), QByteArray()} << QByteArray("text") << QByteArray("text");
    QTest::newRow("empty text") << keys << QByteArray() << QByteArray();
}

void TestSecretMasker::maskedText()
{
    QFETCH(QByteArrayList, secrets);
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QCOMPARE(SecretMasker(secrets).masked(in), out);
}

QTEST_GUILESS_MAIN(TestSecretMasker)
#include "tst_SecretMasker.moc"
