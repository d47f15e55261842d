#include "TestProvider.h"

#include "Tokens.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QUrl>
#include <sodium.h>

namespace Marquee {

namespace {

const QString succeeded = QStringLiteral("payment.succeeded");
const QString failed = QStringLiteral("payment.failed");

WebhookRefusal badBody(const char *why)
{
    return {QStringLiteral("bad_request"), QCoreApplication::translate("TestProvider", why)};
}

} // namespace

TestProvider::TestProvider(QByteArray secret)
    : m_secret(secret)
    , m_signature(std::move(secret))
{
}

QString TestProvider::name() const
{
    return QStringLiteral("test");
}

void TestProvider::begin(
    const PaymentRequest &request, std::function<void(std::optional<QString>)> done) const
{
    done(QStringLiteral("/pay/test/%1?key=%2")
             .arg(QString::fromLatin1(QUrl::toPercentEncoding(request.payment)),
                 pageKey(request.payment)));
}

QByteArray TestProvider::signatureHeader() const
{
    return QByteArrayLiteral("marquee-signature");
}

std::variant<ProviderEvent, WebhookRefusal> TestProvider::verify(
    const QByteArray &signature, const QByteArray &body, const QDateTime &now) const
{
    switch (m_signature.verify(signature, body, now)) {
    case WebhookSignature::Verdict::Valid:
        break;
    case WebhookSignature::Verdict::Stale:
        return WebhookRefusal{QStringLiteral("stale"),
            QCoreApplication::translate("TestProvider", "The report's timestamp is too old.")};
    case WebhookSignature::Verdict::Malformed:
    case WebhookSignature::Verdict::Mismatch:
        return WebhookRefusal{QStringLiteral("bad_signature"),
            QCoreApplication::translate("TestProvider", "The signature does not match.")};
    }
    QJsonParseError error{};
    const QJsonObject object = QJsonDocument::fromJson(body, &error).object();
    if (error.error != QJsonParseError::NoError)
        return badBody(QT_TRANSLATE_NOOP("TestProvider", "The report is not a JSON object."));
    ProviderEvent event;
    event.id = object.value(QLatin1String("id")).toString();
    event.payment = object.value(QLatin1String("payment")).toString();
    event.currency = object.value(QLatin1String("currency")).toString();
    event.reference = object.value(QLatin1String("reference")).toString();
    const QJsonValue amount = object.value(QLatin1String("amount"));
    const QString type = object.value(QLatin1String("type")).toString();
    if (event.id.isEmpty() || event.id.size() > 100 || event.payment.isEmpty()
        || event.reference.size() > 200 || !amount.isDouble() || amount.toDouble() < 0
        || amount.toDouble() > 1e12 || (type != succeeded && type != failed))
        return badBody(QT_TRANSLATE_NOOP("TestProvider", "The report lacks a field."));
    event.amount = qint64(amount.toDouble());
    event.kind = type == succeeded ? ProviderEvent::Kind::Succeeded : ProviderEvent::Kind::Failed;
    return event;
}

void TestProvider::refund(
    const QString &, qint64, const QString &, std::function<void(bool)> done) const
{
    done(true); // the test provider holds no money to give back
}

QString TestProvider::pageKey(const QString &payment) const
{
    const QByteArray mac = QMessageAuthenticationCode::hash(
        "page:" + payment.toUtf8(), m_secret, QCryptographicHash::Sha256);
    return QString::fromLatin1(
        mac.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool TestProvider::pageKeyMatches(const QString &payment, const QString &key) const
{
    const QByteArray expected = pageKey(payment).toLatin1();
    const QByteArray given = key.toLatin1();
    return given.size() == expected.size()
        && sodium_memcmp(given.constData(), expected.constData(), size_t(expected.size())) == 0;
}

TestProvider::SignedReport TestProvider::report(ProviderEvent::Kind kind, const QString &payment,
    qint64 amount, const QString &currency, const QDateTime &now) const
{
    const QJsonObject object{{QStringLiteral("id"), Tokens::newId(u"evt")},
        {QStringLiteral("type"), kind == ProviderEvent::Kind::Succeeded ? succeeded : failed},
        {QStringLiteral("payment"), payment}, {QStringLiteral("amount"), amount},
        {QStringLiteral("currency"), currency},
        {QStringLiteral("reference"), Tokens::newId(u"test")}};
    const QByteArray body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return {body, m_signature.sign(body, now)};
}

} // namespace Marquee
