#include "AddressRange.h"

#include "ClientAddress.h"

namespace Marquee {

namespace {

/// Written out in full: Qt (like inet_aton) also reads "10" as 0.0.0.10 and
/// "10.1" as 10.0.0.1, which in an allow-list are typing mistakes.
QHostAddress fullAddress(const QString &text)
{
    if (!text.contains(u':') && text.count(u'.') != 3)
        return {};
    return QHostAddress(text);
}

} // namespace

AddressRange::AddressRange(QHostAddress network, int prefix)
    : m_network(std::move(network))
    , m_prefix(prefix)
{
}

std::optional<AddressRange> AddressRange::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.contains(u'/')) {
        const QHostAddress address = ClientAddress::normalized(fullAddress(trimmed));
        if (address.isNull())
            return std::nullopt;
        return AddressRange(
            address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128);
    }
    // Only ADDRESS/LENGTH: Qt would also take a netmask.
    const qsizetype slash = trimmed.indexOf(u'/');
    bool lengthOk = false;
    const int length = trimmed.mid(slash + 1).toInt(&lengthOk);
    const QHostAddress address = fullAddress(trimmed.left(slash));
    if (!lengthOk || address.isNull() || trimmed.mid(slash + 1).contains(u'.'))
        return std::nullopt;
    const auto [network, prefix] = QHostAddress::parseSubnet(trimmed);
    if (network.isNull() || prefix != length)
        return std::nullopt;
    return AddressRange(network, prefix);
}

bool AddressRange::contains(const QHostAddress &address) const
{
    return ClientAddress::normalized(address).isInSubnet(m_network, m_prefix);
}

QString AddressRange::toString() const
{
    return m_network.toString() + u'/' + QString::number(m_prefix);
}

} // namespace Marquee
