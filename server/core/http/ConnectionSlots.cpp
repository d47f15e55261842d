#include "ConnectionSlots.h"

#include <QTcpSocket>

#include <utility>

namespace Marquee {

bool AddressCounts::tryTake(const QHostAddress &address, int max)
{
    const QMutexLocker lock(&m_mutex);
    int &open = m_open[address];
    if (open >= max)
        return false;
    ++open;
    return true;
}

void AddressCounts::giveBack(const QHostAddress &address)
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_open.find(address);
    if (it != m_open.end() && --it.value() <= 0)
        m_open.erase(it);
}

int AddressCounts::open(const QHostAddress &address) const
{
    const QMutexLocker lock(&m_mutex);
    return m_open.value(address);
}

AddressSlot::AddressSlot(std::shared_ptr<AddressCounts> counts, QHostAddress address)
    : m_counts(std::move(counts))
    , m_address(std::move(address))
{
}

AddressSlot::~AddressSlot()
{
    m_counts->giveBack(m_address);
}

ConnectionSlot::ConnectionSlot(
    std::shared_ptr<AddressCounts> counts, QHostAddress address, QTcpSocket *socket)
    : QObject(socket)
    , m_slot(std::make_shared<AddressSlot>(std::move(counts), std::move(address)))
{
}

std::shared_ptr<AddressSlot> ConnectionSlot::takeFrom(QTcpSocket *socket)
{
    auto *const slot = socket->findChild<ConnectionSlot *>(QString(), Qt::FindDirectChildrenOnly);
    return slot ? std::exchange(slot->m_slot, nullptr) : nullptr;
}

} // namespace Marquee
