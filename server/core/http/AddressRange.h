#pragma once

#include <QHostAddress>
#include <QString>
#include <optional>

namespace Marquee {

/// One address or network (CIDR) an operator named on the command line,
/// e.g. for --metrics-allow: "10.0.0.7", "10.0.0.0/8", "fd00::/8".
class AddressRange
{
public:
    /// nullopt for anything that is not an address or ADDRESS/PREFIX.
    static std::optional<AddressRange> parse(const QString &text);

    /// IPv4 clients on a dual-stack socket (::ffff:a.b.c.d) match IPv4 ranges.
    bool contains(const QHostAddress &address) const;
    QString toString() const;

    bool operator==(const AddressRange &other) const
    {
        return m_network == other.m_network && m_prefix == other.m_prefix;
    }

private:
    AddressRange(QHostAddress network, int prefix);

    QHostAddress m_network;
    int m_prefix = 0;
};

} // namespace Marquee
