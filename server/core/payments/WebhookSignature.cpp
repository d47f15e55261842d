#include "WebhookSignature.h"

#include <QList>
#include <QMessageAuthenticationCode>
#include <sodium.h>

namespace Marquee {

namespace {
constexpr int MacBytes = 32; // SHA-256
} // namespace

WebhookSignature::WebhookSignature(QByteArray secret)
    : m_secret(std::move(secret))
{
}

QByteArray WebhookSignature::mac(qint64 timestamp, const QByteArray &body) const
{
    return QMessageAuthenticationCode::hash(
        QByteArray::number(timestamp) + '.' + body, m_secret, QCryptographicHash::Sha256);
}

QByteArray WebhookSignature::sign(const QByteArray &body, const QDateTime &at) const
{
    const qint64 t = at.toSecsSinceEpoch();
    return "t=" + QByteArray::number(t) + ",v1=" + mac(t, body).toHex();
}

WebhookSignature::Verdict WebhookSignature::verify(
    const QByteArray &header, const QByteArray &body, const QDateTime &now) const
{
    std::optional<qint64> timestamp;
    QList<QByteArray> candidates; // a provider rolling its secret sends two
    for (const QByteArray &part : header.split(',')) {
        const QByteArray item = part.trimmed();
        if (item.startsWith("t=")) {
            bool ok = false;
            const qint64 t = item.mid(2).toLongLong(&ok);
            if (ok)
                timestamp = t;
        } else if (item.startsWith("v1=")) {
            const QByteArray hex = item.mid(3);
            if (hex.size() == 2 * MacBytes)
                candidates.append(QByteArray::fromHex(hex));
        }
    }
    if (!timestamp || candidates.isEmpty())
        return Verdict::Malformed;
    // The MAC first: a forged header learns nothing from being told "stale".
    const QByteArray expected = mac(*timestamp, body);
    bool matched = false;
    for (const QByteArray &candidate : std::as_const(candidates)) {
        if (candidate.size() == expected.size()
            && sodium_memcmp(candidate.constData(), expected.constData(), size_t(expected.size()))
                == 0)
            matched = true;
    }
    if (!matched)
        return Verdict::Mismatch;
    if (qAbs(now.toSecsSinceEpoch() - *timestamp) > ToleranceSeconds)
        return Verdict::Stale;
    return Verdict::Valid;
}

} // namespace Marquee
