#pragma once

#include "SeatState.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <optional>

namespace Marquee::Protocol {

/// Seat labels are short and plain ("A1", "BB12"); anything else is refused
/// before it reaches a query or a log line.
bool isValidSeatLabel(const QString &label);
/// Event slugs as they appear in URLs ("breakfast-ii").
bool isValidSlug(const QString &slug);

/// One message on an event channel. Every state and count is absolute:
/// a client never has to add anything up.
struct ChannelMessage
{
    enum class Type
    {
        Snapshot,
        Seats,
        Availability,
        Resync
    };

    Type type = Type::Snapshot;
    QString event;
    qint64 version = 0;
    EventKind kind = EventKind::Seated; ///< which fields a snapshot carries
    QHash<QString, SeatState> seats; ///< seated events
    int available = 0; ///< general admission
    int capacity = 0; ///< general admission

    static ChannelMessage snapshotSeated(
        const QString &event, qint64 version, const QHash<QString, SeatState> &seats);
    static ChannelMessage snapshotGeneral(
        const QString &event, qint64 version, int available, int capacity);
    static ChannelMessage seatUpdate(
        const QString &event, qint64 version, const QHash<QString, SeatState> &seats);
    static ChannelMessage availabilityUpdate(
        const QString &event, qint64 version, int available, int capacity);
};

/// Compact JSON, UTF-8, as sent on the wire.
QByteArray encode(const ChannelMessage &message);

/// Strict decoding: unknown types, missing fields, wrong JSON types, unknown
/// seat states and negative counts are errors, reported in \a error.
std::optional<ChannelMessage> decodeChannelMessage(
    const QByteArray &json, QString *error = nullptr);

/// Body of POST /api/v1/carts/{cart}/holds: either seats or a quantity.
struct HoldRequest
{
    QString event;
    QStringList seats; ///< seated events; unique labels in request order
    int quantity = 0; ///< general admission
};

struct HoldRequestLimits
{
    int maxSeats = 10;
    int maxQuantity = 10;
};

/// Validates shape and limits; \a error gets a sentence fit for the client.
std::optional<HoldRequest> decodeHoldRequest(
    const QByteArray &json, const HoldRequestLimits &limits, QString *error);

} // namespace Marquee::Protocol
