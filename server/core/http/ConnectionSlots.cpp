#include "ConnectionSlots.h"

#include <QTcpSocket>

namespace Marquee {

bool AddressCounts::tryTake(const QHostAddress &address, int max)
{
    int &open = m_open[address];
    if (open >= max)
        return false;
    ++open;
    return true;
}

void AddressCounts::giveBack(const QHostAddress &address)
{
    const auto it = m_open.find(address);
    if (it != m_open.end() && --it.value() <= 0)
        m_open.erase(it);
}

ConnectionSlot::ConnectionSlot(
    std::shared_ptr<AddressCounts> counts, QHostAddress address, QTcpSocket *socket)
    : QObject(socket)
    , m_counts(std::move(counts))
    , m_address(std::move(address))
{
}

ConnectionSlot::~ConnectionSlot()
{
    m_counts->giveBack(m_address);
}

} // namespace Marquee
