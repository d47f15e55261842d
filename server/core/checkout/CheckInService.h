#pragma once

#include "AuditLog.h"
#include "SaleService.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <optional>

namespace Marquee {

class Clock;

/// The door: a ticket's code is let in once. The redeeming UPDATE is
/// conditional on the ticket being valid and not yet redeemed, so of two
/// scans at the same moment (two doors, two servers) exactly one succeeds:
/// the other waits for the first one's row lock and then finds it redeemed.
class CheckInService
{
public:
    struct Outcome
    {
        enum class Result
        {
            Ok,
            AlreadyRedeemed, ///< \a at says when
            Revoked, ///< refunded (or replaced by a reprint)
            WrongEvent, ///< a valid ticket, for another event than the door's
            Unknown,
            KeyReused ///< this idempotency key came with another code: nothing done
        };
        Result result = Result::Unknown;
        SaleService::Ticket ticket;
        QString order;
        QString buyer;
        QDateTime at; ///< when it was redeemed
    };

    struct Counts
    {
        int entered = 0;
        int sold = 0; ///< valid tickets
    };

    CheckInService(QSqlDatabase db, const Clock &clock, AuditActor actor);

    /// \a doorEvent is the slug the door admits to; empty admits any. With
    /// \a key (the scan's Idempotency-Key), the same key again gets the
    /// first verdict again.
    Outcome checkIn(const QString &code, const QString &doorEvent, const QString &key = {}) const;
    /// nullopt for an unknown event.
    std::optional<Counts> counts(const QString &event) const;

private:
    std::optional<Outcome> find(const QString &code) const;
    /// The verdict, inside the caller's transaction.
    Outcome judge(const QString &code, const QString &doorEvent) const;
    /// The verdict stored under \a key, or nullopt when the key is new.
    std::optional<Outcome> replay(const QString &key, const QString &code) const;

    QSqlDatabase m_db;
    const Clock &m_clock;
    AuditActor m_actor;
};

} // namespace Marquee
