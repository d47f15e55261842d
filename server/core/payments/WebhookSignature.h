#pragma once

#include <QByteArray>
#include <QDateTime>
#include <optional>

namespace Marquee {

/// The signed-webhook scheme most providers use (Stripe's, the test
/// provider's): the header "t=UNIX,v1=HEX", HEX being HMAC-SHA256 over
/// "{t}.{body}" with the shared secret. The timestamp inside the signed
/// text is what makes a captured report useless after the tolerance.
class WebhookSignature
{
public:
    enum class Verdict
    {
        Valid,
        Malformed, ///< no "t=" or no "v1=" of the right length
        Mismatch, ///< no v1 value matches the body
        Stale ///< signed, but further than the tolerance from now
    };

    static constexpr qint64 ToleranceSeconds = 5 * 60;

    explicit WebhookSignature(QByteArray secret);

    /// The header value for \a body, signed at \a at.
    QByteArray sign(const QByteArray &body, const QDateTime &at) const;
    Verdict verify(const QByteArray &header, const QByteArray &body, const QDateTime &now) const;

private:
    QByteArray mac(qint64 timestamp, const QByteArray &body) const;

    QByteArray m_secret;
};

} // namespace Marquee
