#include "ClientAddress.h"

namespace Marquee {

ClientAddress::ClientAddress(QList<QHostAddress> trustedProxies)
{
    for (const QHostAddress &proxy : trustedProxies)
        m_trustedProxies.append(normalized(proxy));
}

QHostAddress ClientAddress::normalized(const QHostAddress &address)
{
    bool isIpv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIpv4);
    return isIpv4 ? QHostAddress(ipv4) : address;
}

bool ClientAddress::isTrustedProxy(const QHostAddress &peer) const
{
    return m_trustedProxies.contains(normalized(peer));
}

QHostAddress ClientAddress::of(const QHostAddress &peer, const QByteArray &forwardedFor) const
{
    if (forwardedFor.isEmpty() || !isTrustedProxy(peer))
        return normalized(peer);
    QByteArray last = forwardedFor.mid(forwardedFor.lastIndexOf(',') + 1).trimmed();
    if (last.startsWith('[') && last.endsWith(']'))
        last = last.mid(1, last.size() - 2);
    const QHostAddress client(QString::fromLatin1(last));
    // A proxy that sends something unreadable is counted as itself.
    return client.isNull() ? normalized(peer) : normalized(client);
}

} // namespace Marquee
