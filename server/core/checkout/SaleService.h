#pragma once

#include "AvailabilityChange.h"

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace Marquee {

class Clock;
class EventWrites;

/// Turns holds into sold tickets of an order. The counter's cash sale uses
/// it whole (sellCart); online payment confirmation uses its parts. The
/// caller owns the transaction for the parts.
class SaleService
{
public:
    struct Ticket
    {
        QString event;
        QString seat; ///< empty for general admission
        QString category;
        qint64 price = 0;
        QString code; ///< the secret its QR code carries (at least 128 random bits)
        /// What an order's page and its PDF show besides; read by
        /// OrderService::find only (a sale's answer has the fields above).
        struct Details
        {
            QString eventName;
            QString venue;
            QDateTime startsAt;
            QString timeZone;
            QString categoryName;
            QString state; ///< valid or revoked (refunded)
            QDateTime redeemedAt; ///< invalid until it is checked in
        };
        std::optional<Details> details;
    };

    struct HoldRef
    {
        QString id;
        qint64 eventId = 0;
        QString event;
        bool seated = true;
        int quantity = 0;
        QString currency;
        QString state; ///< live, released or sold
        qint64 total = 0; ///< what the hold was priced at when it was made
    };

    struct Outcome
    {
        enum class Status
        {
            Sold,
            NothingToSell,
            MixedCurrencies,
            HoldLost
        };
        Status status = Status::NothingToSell;
        QString order;
        qint64 total = 0;
        QString currency;
        QList<Ticket> tickets;
        AvailabilityChanges changes;
        QStringList lostHolds; ///< HoldLost: the expected holds that are gone
    };

    SaleService(QSqlDatabase db, const Clock &clock);

    /// Tickets as the API shows them (and as stored confirmations keep them).
    static QJsonArray ticketsJson(const QList<Ticket> &tickets);

    /// The counter: every live hold of the cart becomes a paid order, in one
    /// transaction.
    /// With \a expected hold ids, exactly those are sold, and only if every
    /// one of them is still live (HoldLost names the missing ones): a clerk
    /// never takes money for seats that quietly dropped out of the sale.
    Outcome sellCart(const QString &cartId, const QString &channel, const QString &payment,
        const QStringList &expected = {}) const;
    /// The same inside the caller's transaction, which commits a Sold
    /// outcome with its changes.
    Outcome sellCartLocked(const QString &cartId, const QString &channel, const QString &payment,
        const QStringList &expected = {}) const;

    /// The cart's holds that are live and not expired.
    QList<HoldRef> liveHolds(const QString &cartId) const;
    /// Every hold attached to an order at payment start, whatever its state.
    QList<HoldRef> holdsOfOrder(const QString &orderId) const;

    QString createOrder(const QString &cartId, const QString &channel, const QString &payment,
        const QString &currency, const QString &state, qint64 total) const;
    /// A live hold's seats or places become sold tickets of the order, at
    /// the prices the hold recorded.
    void sellHold(const QString &orderId, const HoldRef &hold, QList<Ticket> *tickets,
        EventWrites &writes) const;
    /// A hold that was released (its time ran out) is taken again and sold
    /// if every seat, or enough places, is still free. Returns false, with
    /// the seats that are gone in \a taken, and changes nothing otherwise.
    /// GA places are checked when \a writes are flushed. The caller has
    /// locked the seats (lockSeatsOfHolds).
    bool resellReleasedHold(const QString &orderId, const HoldRef &hold, QList<Ticket> *tickets,
        EventWrites &writes, QStringList *taken) const;
    /// Locks the seat rows of \a holdIds in seat id order (PostgreSQL).
    void lockSeatsOfHolds(const QStringList &holdIds) const;

private:
    void addTicket(const QString &orderId, qint64 eventId, const QVariant &seatId,
        const Ticket &ticket, QList<Ticket> *tickets) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
