#include "DatabaseRelay.h"

#include "ChannelHub.h"
#include "Protocol.h"
#include "Sql.h"
#include "Storage.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {
constexpr qsizetype MaxPayload = 7900; // PostgreSQL allows 8000 bytes
}

DatabaseRelay::DatabaseRelay(Storage &storage, ChannelHub &hub, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_hub(hub)
{
}

bool DatabaseRelay::start(QString *error)
{
    if (!m_storage.listen(
            QLatin1String(Channel), [this](const QString &payload) { onPayload(payload); }, error))
        return false;
    m_hub.setRelay([this](const AvailabilityChanges &changes) { announce(changes); });
    return true;
}

QByteArray DatabaseRelay::encode(const AvailabilityChange &change)
{
    using Protocol::ChannelMessage;
    const QByteArray message = Protocol::encode(change.kind == EventKind::General
            ? ChannelMessage::availabilityUpdate(
                change.event, change.version, change.available, change.capacity)
            : ChannelMessage::seatUpdate(change.event, change.version, change.seats));
    if (message.size() <= MaxPayload)
        return message;
    return QJsonDocument(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("reload")},
            {QStringLiteral("event"), change.event}, {QStringLiteral("version"), change.version}})
        .toJson(QJsonDocument::Compact);
}

std::optional<AvailabilityChange> DatabaseRelay::decode(const QByteArray &payload, QString *reload)
{
    const QJsonObject object = QJsonDocument::fromJson(payload).object();
    if (object.value(QLatin1String("type")).toString() == QLatin1String("reload")) {
        *reload = object.value(QLatin1String("event")).toString();
        return std::nullopt;
    }
    const auto message = Protocol::decodeChannelMessage(payload);
    if (!message || message->type == Protocol::ChannelMessage::Type::Resync)
        return std::nullopt;
    return AvailabilityChange{message->event, message->kind, message->version, message->seats,
        message->available, message->capacity};
}

void DatabaseRelay::announce(const AvailabilityChanges &changes)
{
    QList<QByteArray> payloads;
    for (const AvailabilityChange &change : changes)
        payloads.append(encode(change));
    // After the commit, on the storage thread. A server that dies between
    // its commit and this NOTIFY leaves a gap the others notice at the
    // event's next change, and close by reloading the event.
    m_storage.run<bool>(
        [payloads](StorageSession &s) {
            for (const QByteArray &payload : payloads) {
                Sql::exec(s.db, QStringLiteral("SELECT pg_notify(?, ?)"),
                    {QLatin1String(Channel), QString::fromUtf8(payload)});
            }
            return true;
        },
        [](std::optional<bool> done, const QString &error) {
            if (!done)
                qWarning("relay: %s", qPrintable(error));
        });
}

void DatabaseRelay::onPayload(const QString &payload)
{
    QString reload;
    if (const auto change = decode(payload.toUtf8(), &reload))
        m_hub.receive({*change});
    else if (!reload.isEmpty())
        emit m_hub.reloadNeeded(reload);
}

} // namespace Marquee
