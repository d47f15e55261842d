#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>

namespace Marquee {

/// Who a request comes from, for the per-client limits. Usually the TCP
/// peer; behind a reverse proxy every request has the proxy's address, so
/// for peers the operator named with --trusted-proxy the client is the last
/// X-Forwarded-For entry: the address the proxy itself saw. Entries before
/// it are whatever the client claimed and are never believed.
class ClientAddress
{
public:
    explicit ClientAddress(QList<QHostAddress> trustedProxies = {});

    bool isTrustedProxy(const QHostAddress &peer) const;
    /// The client behind \a peer; \a forwardedFor is the X-Forwarded-For
    /// header, ignored unless \a peer is a trusted proxy.
    QHostAddress of(const QHostAddress &peer, const QByteArray &forwardedFor) const;

    /// IPv4 as IPv4 even on a dual-stack socket, so one client is one key.
    static QHostAddress normalized(const QHostAddress &address);

private:
    QList<QHostAddress> m_trustedProxies;
};

} // namespace Marquee
