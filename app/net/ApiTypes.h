#pragma once

#include "Money.h"
#include "SeatState.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>
#include <optional>

namespace Marquee {

/// One entry of GET /api/v1/events.
struct EventSummary
{
    QString slug;
    QString name;
    EventKind kind = EventKind::Seated;
    QDateTime startsAt;
    QString venue;
    QString currency;
    QString timeZone; ///< the venue's IANA zone ("Europe/Berlin"); may be empty
};

/// A price category of an event; seats name it by code in the plan.
/// Not "PriceCategory": the server's storage has a Marquee::PriceCategory
/// of another layout, and tests link both cores into one program, where
/// two classes of one name are one class to the linker (QList code for one
/// layout ran on the other and wrote past its memory).
struct EventPriceCategory
{
    QString code;
    QString name;
    qint64 price = 0; ///< minor units of the event currency
    QString color; ///< "#2563eb", may be empty
};

/// GET /api/v1/events/{slug}: what the counter needs to sell an event.
struct EventDetails
{
    EventSummary summary;
    QList<EventPriceCategory> categories;
    QString planPath; ///< seated events
    int capacity = 0; ///< general admission

    /// The price of category \a code; an empty code is general admission's
    /// one category (every ticket uses it). 0 when unknown.
    qint64 priceOf(const QString &code) const;
    /// The category's name for the clerk; \a code itself when unknown.
    QString categoryName(const QString &code) const;
};

/// The answer to POST /api/v1/carts.
struct Cart
{
    QString id;
    QString token;
};

/// One live hold of the counter's cart.
struct Hold
{
    QString id;
    QString event;
    QStringList seats;
    int quantity = 0;
    Money total;
    QDateTime expiresAt; ///< by the server's clock (ApiClient::serverNow())
    /// Renewals the server still allows; -1 when it did not say.
    int renewalsLeft = -1;
};

/// The answer to POST /api/v1/counter/sales.
struct SaleReceipt
{
    QString order;
    Money total;
    int tickets = 0;
};

/// A signed-in clerk's session (POST /api/v1/session). The token lives in
/// memory only: never in settings, never on a command line.
struct StaffSession
{
    QString token;
    QString user;
    QString role;

    /// Whether the role may read the audit trail. The server decides (a
    /// 403 otherwise); this only keeps a clerk from being offered a screen
    /// that would refuse them.
    bool mayReadAudit() const
    {
        return role == QLatin1String("manager") || role == QLatin1String("admin");
    }
};

/// One entry of GET /api/v1/audit: who did what to which thing, when and
/// from where.
struct AuditEntry
{
    qint64 id = 0;
    QDateTime at; ///< UTC
    QString actor; ///< a user name, "credential:NAME", "cart:ID" or "system"
    QString action; ///< "order.sell", "user.role", ...
    QString subject; ///< what it acted on: an order, a hold, a user name
    QString address; ///< the client's address; empty for the server itself
    QString event; ///< the event's slug, when the entry concerns one
    QJsonObject details; ///< e.g. {"before":"clerk","after":"manager"}
};

/// One page of the audit trail, oldest first; \a next is the \c after of
/// the following page.
struct AuditPage
{
    QList<AuditEntry> entries;
    qint64 next = 0;
};

/// What GET /api/v1/audit is asked for; empty text and null times mean
/// "no bound".
struct AuditFilter
{
    QString actor;
    QString action;
    QString event; ///< slug
    QDateTime from; ///< inclusive
    QDateTime until; ///< exclusive
};

/// A ticket as POST /api/v1/checkin describes it.
struct DoorTicket
{
    QString code;
    QString event; ///< slug
    QString eventName;
    QDateTime startsAt; ///< UTC; invalid when the server did not say
    QString timeZone; ///< the venue's IANA zone; may be empty
    QString seat; ///< label ("C12"); empty for general admission
    QString category;
    QString categoryName;
    QString order;
    QString buyer;
    QDateTime redeemedAt; ///< UTC; invalid until it is checked in
};

/// The server's verdict on one scan at the door: let in, or why not.
struct DoorVerdict
{
    enum class Result
    {
        Admitted,
        AlreadyIn, ///< \a at says since when
        Revoked, ///< refunded, or replaced by a reprint
        WrongEvent, ///< a valid ticket of another event (\a otherEventName)
        Unknown ///< no ticket has this code
    };
    Result result = Result::Unknown;
    DoorTicket ticket; ///< empty for Unknown
    QDateTime at; ///< AlreadyIn: when it went in (UTC)
    QString otherEvent; ///< WrongEvent: the ticket's event slug
    QString otherEventName;
};

/// GET /api/v1/events/{slug}/checkins: tickets let in of the valid ones.
struct DoorCounts
{
    QString event;
    int entered = 0;
    int sold = 0;
};

/// Why a call failed, as much as the server told us. status 0 means the
/// server could not be reached or answered nonsense.
struct ApiError
{
    int status = 0;
    QString code; ///< "unavailable", "conflict", ...
    QString message; ///< a sentence for people; server's or ours
    QStringList seats; ///< 409 unavailable / 400 unknown seats
    int available = -1; ///< 409 unavailable for general admission
    QStringList holds; ///< 409 hold_lost: the holds that ran out
    int retryAfter = 0; ///< 429: seconds to wait
    /// code "untrusted_certificate": what the server showed, neither
    /// vouched for by an authority nor pinned (see CertificatePin).
    QSslCertificate certificate = QSslCertificate();

    bool isUnavailable() const { return status == 409 && code == QLatin1String("unavailable"); }
    bool isUntrustedCertificate() const { return code == QLatin1String("untrusted_certificate"); }
    bool isHoldLost() const { return status == 409 && code == QLatin1String("hold_lost"); }
    /// No answer at all (refused, timed out, cut off); not a refusal.
    bool isUnreachable() const { return code == QLatin1String("unreachable"); }
    bool isRenewalLimit() const { return status == 409 && code == QLatin1String("renewal_limit"); }
};

/// Strict readers for the server's JSON: a missing or mistyped field makes
/// the whole object invalid, so the UI never shows half-read data.
namespace ApiJson {
std::optional<EventSummary> eventSummary(const QJsonObject &object);
std::optional<EventDetails> eventDetails(const QJsonObject &object);
std::optional<Cart> cart(const QJsonObject &object);
std::optional<Hold> hold(const QJsonObject &object);
std::optional<SaleReceipt> saleReceipt(const QJsonObject &object);
std::optional<StaffSession> staffSession(const QJsonObject &object);
std::optional<AuditEntry> auditEntry(const QJsonObject &object);
/// Refuses the whole page if one entry is unreadable: an audit view that
/// silently skipped entries would misreport what happened.
std::optional<AuditPage> auditPage(const QJsonObject &object);
ApiError error(int status, const QJsonObject &object);
std::optional<DoorTicket> doorTicket(const QJsonObject &object);
/// The verdict in a check-in answer of \a status (200, 409 or 404), or
/// nullopt when the answer is not one (another status or error code, or a
/// ticket that cannot be read).
std::optional<DoorVerdict> doorVerdict(int status, const QJsonObject &object);
std::optional<DoorCounts> doorCounts(const QJsonObject &object);
} // namespace ApiJson

} // namespace Marquee
