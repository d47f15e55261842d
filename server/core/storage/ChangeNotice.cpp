#include "ChangeNotice.h"

#include "Clock.h"
#include "Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {

constexpr qsizetype MaxPayload = 7900; // PostgreSQL allows 8000 bytes

QJsonObject messageJson(const AvailabilityChange &change)
{
    using Protocol::ChannelMessage;
    const QByteArray message = Protocol::encode(change.kind == EventKind::General
            ? ChannelMessage::availabilityUpdate(
                change.event, change.version, change.available, change.capacity)
            : ChannelMessage::seatUpdate(change.event, change.version, change.seats));
    return QJsonDocument::fromJson(message).object();
}

} // namespace

QList<QByteArray> ChangeNotice::encode(const QList<ChangeNotice> &notices)
{
    // In order, as many changes per payload as fit; a change too big for a
    // payload of its own goes as a note to reload its event.
    QList<QByteArray> payloads;
    QJsonArray messages;
    QJsonArray reloads;
    qsizetype size = 0;
    std::optional<QDateTime> expiry;
    const auto flush = [&] {
        QJsonObject notice{{QStringLiteral("changes"), messages}};
        if (!reloads.isEmpty())
            notice.insert(QStringLiteral("reload"), reloads);
        if (expiry)
            notice.insert(QStringLiteral("expiry"), isoUtc(*expiry));
        payloads.append(QJsonDocument(notice).toJson(QJsonDocument::Compact));
        messages = QJsonArray();
        reloads = QJsonArray();
        size = 0;
        expiry.reset();
    };
    for (const ChangeNotice &notice : notices) {
        for (const QString &event : notice.reload)
            reloads.append(event);
        for (const AvailabilityChange &change : notice.changes) {
            const QJsonObject message = messageJson(change);
            const qsizetype length
                = QJsonDocument(message).toJson(QJsonDocument::Compact).size() + 1;
            if (length > MaxPayload - 400) {
                reloads.append(change.event);
                continue;
            }
            if (size + length > MaxPayload - 400)
                flush();
            messages.append(message);
            size += length;
        }
        if (notice.expiry && (!expiry || *notice.expiry < *expiry))
            expiry = notice.expiry;
    }
    if (!messages.isEmpty() || !reloads.isEmpty() || expiry)
        flush();
    return payloads;
}

std::optional<ChangeNotice> ChangeNotice::decode(const QByteArray &payload)
{
    const QJsonDocument document = QJsonDocument::fromJson(payload);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    ChangeNotice notice;
    for (const QJsonValue &value : object.value(QLatin1String("changes")).toArray()) {
        const auto message = Protocol::decodeChannelMessage(
            QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        if (!message || message->type == Protocol::ChannelMessage::Type::Resync)
            return std::nullopt;
        notice.changes.append({message->event, message->kind, message->version, message->seats,
            message->available, message->capacity});
    }
    for (const QJsonValue &value : object.value(QLatin1String("reload")).toArray())
        notice.reload.append(value.toString());
    const QString expiry = object.value(QLatin1String("expiry")).toString();
    if (!expiry.isEmpty()) {
        const QDateTime at = QDateTime::fromString(expiry, Qt::ISODate);
        if (!at.isValid())
            return std::nullopt;
        notice.expiry = at;
    }
    return notice;
}

} // namespace Marquee
