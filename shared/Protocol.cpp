#include "Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <cmath>

namespace Marquee::Protocol {

namespace {

constexpr auto TypeSnapshot = "snapshot";
constexpr auto TypeSeats = "seats";
constexpr auto TypeAvailability = "availability";
constexpr auto TypeResync = "resync";
constexpr double MaxVersion = 9007199254740992.0; // 2^53

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

QJsonObject seatsToJson(const QHash<QString, SeatState> &seats)
{
    QJsonObject object;
    for (auto it = seats.cbegin(); it != seats.cend(); ++it)
        object.insert(it.key(), seatStateName(it.value()));
    return object;
}

bool seatsFromJson(const QJsonValue &value, QHash<QString, SeatState> *seats, QString *error)
{
    if (!value.isObject())
        return fail(error, QStringLiteral("\"seats\" must be an object"));
    const QJsonObject object = value.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!isValidSeatLabel(it.key()))
            return fail(error, QStringLiteral("invalid seat label"));
        const auto state = seatStateFromString(it.value().toString());
        if (!state)
            return fail(error, QStringLiteral("unknown seat state for %1").arg(it.key()));
        seats->insert(it.key(), *state);
    }
    return true;
}

bool countFromJson(const QJsonObject &object, const char *key, int *out, QString *error)
{
    const QJsonValue value = object.value(QLatin1String(key));
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > 10'000'000 || number != int(number))
        return fail(
            error, QStringLiteral("\"%1\" must be a non-negative integer").arg(QLatin1String(key)));
    *out = int(number);
    return true;
}

} // namespace

// Anchored with \A and \z (anchoredPattern): PCRE's "$" also matches before
// a final newline, which let "A1\n" and "breakfast-ii\n" through.
bool isValidSeatLabel(const QString &label)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9][A-Za-z0-9_-]{0,15}")));
    return pattern.match(label).hasMatch();
}

bool isValidSlug(const QString &slug)
{
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9-]{0,63}")));
    return pattern.match(slug).hasMatch();
}

ChannelMessage ChannelMessage::snapshotSeated(
    const QString &event, qint64 version, const QHash<QString, SeatState> &seats)
{
    ChannelMessage m;
    m.type = Type::Snapshot;
    m.kind = EventKind::Seated;
    m.event = event;
    m.version = version;
    m.seats = seats;
    return m;
}

ChannelMessage ChannelMessage::snapshotGeneral(
    const QString &event, qint64 version, int available, int capacity)
{
    ChannelMessage m;
    m.type = Type::Snapshot;
    m.kind = EventKind::General;
    m.event = event;
    m.version = version;
    m.available = available;
    m.capacity = capacity;
    return m;
}

ChannelMessage ChannelMessage::seatUpdate(
    const QString &event, qint64 version, const QHash<QString, SeatState> &seats)
{
    ChannelMessage m = snapshotSeated(event, version, seats);
    m.type = Type::Seats;
    return m;
}

ChannelMessage ChannelMessage::availabilityUpdate(
    const QString &event, qint64 version, int available, int capacity)
{
    ChannelMessage m = snapshotGeneral(event, version, available, capacity);
    m.type = Type::Availability;
    return m;
}

QByteArray encode(const ChannelMessage &message)
{
    QJsonObject object;
    switch (message.type) {
    case ChannelMessage::Type::Resync:
        object.insert(QStringLiteral("type"), QLatin1String(TypeResync));
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    case ChannelMessage::Type::Snapshot:
        object.insert(QStringLiteral("type"), QLatin1String(TypeSnapshot));
        break;
    case ChannelMessage::Type::Seats:
        object.insert(QStringLiteral("type"), QLatin1String(TypeSeats));
        break;
    case ChannelMessage::Type::Availability:
        object.insert(QStringLiteral("type"), QLatin1String(TypeAvailability));
        break;
    }
    object.insert(QStringLiteral("event"), message.event);
    object.insert(QStringLiteral("version"), message.version);
    if (message.kind == EventKind::Seated) {
        object.insert(QStringLiteral("seats"), seatsToJson(message.seats));
    } else {
        object.insert(QStringLiteral("available"), message.available);
        object.insert(QStringLiteral("capacity"), message.capacity);
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<ChannelMessage> decodeChannelMessage(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        fail(error, QStringLiteral("not a JSON object"));
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    const QString type = object.value(QLatin1String("type")).toString();

    ChannelMessage message;
    if (type == QLatin1String(TypeResync)) {
        message.type = ChannelMessage::Type::Resync;
        return message;
    }
    if (type == QLatin1String(TypeSnapshot))
        message.type = ChannelMessage::Type::Snapshot;
    else if (type == QLatin1String(TypeSeats))
        message.type = ChannelMessage::Type::Seats;
    else if (type == QLatin1String(TypeAvailability))
        message.type = ChannelMessage::Type::Availability;
    else {
        fail(error, QStringLiteral("unknown message type"));
        return std::nullopt;
    }

    message.event = object.value(QLatin1String("event")).toString();
    if (!isValidSlug(message.event)) {
        fail(error, QStringLiteral("missing or invalid \"event\""));
        return std::nullopt;
    }
    const QJsonValue version = object.value(QLatin1String("version"));
    const double number = version.toDouble(-1);
    // toInteger() turns a fraction or a number past qint64 into 0 instead of
    // failing, and a client that orders updates by a wrong version applies
    // them out of order: whole numbers up to 2^53 (exact in a JavaScript
    // client too), checked on the double.
    if (!version.isDouble() || !(number >= 0 && number <= MaxVersion)
        || number != std::floor(number)) {
        fail(error, QStringLiteral("missing or invalid \"version\""));
        return std::nullopt;
    }
    message.version = qint64(number);

    const bool seated = message.type == ChannelMessage::Type::Seats
        || (message.type == ChannelMessage::Type::Snapshot
            && object.contains(QLatin1String("seats")));
    if (seated) {
        message.kind = EventKind::Seated;
        if (!seatsFromJson(object.value(QLatin1String("seats")), &message.seats, error))
            return std::nullopt;
        return message;
    }
    message.kind = EventKind::General;
    if (!countFromJson(object, "available", &message.available, error)
        || !countFromJson(object, "capacity", &message.capacity, error))
        return std::nullopt;
    if (message.available > message.capacity) {
        fail(error, QStringLiteral("\"available\" exceeds \"capacity\""));
        return std::nullopt;
    }
    return message;
}

std::optional<HoldRequest> decodeHoldRequest(
    const QByteArray &json, const HoldRequestLimits &limits, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        fail(error, QStringLiteral("The body must be a JSON object."));
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    HoldRequest request;
    request.event = object.value(QLatin1String("event")).toString();
    if (!isValidSlug(request.event)) {
        fail(error, QStringLiteral("\"event\" must name an event."));
        return std::nullopt;
    }
    const bool hasSeats = object.contains(QLatin1String("seats"));
    const bool hasQuantity = object.contains(QLatin1String("quantity"));
    if (hasSeats == hasQuantity) {
        fail(error, QStringLiteral("Give either \"seats\" or \"quantity\"."));
        return std::nullopt;
    }
    if (hasSeats) {
        const QJsonValue seats = object.value(QLatin1String("seats"));
        if (!seats.isArray() || seats.toArray().isEmpty()) {
            fail(error, QStringLiteral("\"seats\" must be a non-empty list of seat labels."));
            return std::nullopt;
        }
        const QJsonArray array = seats.toArray();
        if (array.size() > limits.maxSeats) {
            fail(error,
                QStringLiteral("At most %1 seats can be held at once.").arg(limits.maxSeats));
            return std::nullopt;
        }
        QSet<QString> seen;
        for (const QJsonValue &value : array) {
            const QString label = value.toString();
            if (!value.isString() || !isValidSeatLabel(label)) {
                fail(error, QStringLiteral("\"seats\" must be a list of seat labels."));
                return std::nullopt;
            }
            if (seen.contains(label)) {
                fail(error, QStringLiteral("Seat %1 is listed twice.").arg(label));
                return std::nullopt;
            }
            seen.insert(label);
            request.seats.append(label);
        }
        return request;
    }
    const QJsonValue quantity = object.value(QLatin1String("quantity"));
    const double number = quantity.toDouble(-1);
    // The range first, on the double: converting one outside what an
    // integer holds (1e300) is undefined behaviour. NaN fails both tests.
    if (!quantity.isDouble() || !(number >= 1 && number <= limits.maxQuantity)
        || number != std::floor(number)) {
        fail(error,
            QStringLiteral("\"quantity\" must be a whole number from 1 to %1.")
                .arg(limits.maxQuantity));
        return std::nullopt;
    }
    request.quantity = int(number);
    return request;
}

} // namespace Marquee::Protocol
