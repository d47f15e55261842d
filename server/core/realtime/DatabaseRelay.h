#pragma once

#include "AvailabilityChange.h"

#include <QObject>

namespace Marquee {

class ChannelHub;
class Storage;

/// Keeps several servers on one PostgreSQL database in step: every change a
/// server commits is NOTIFYed on one channel, and every server LISTENs and
/// hands what it hears to its channel hub, which applies changes in version
/// order per event (its own come back too and are ignored as known).
class DatabaseRelay : public QObject
{
    Q_OBJECT

public:
    static constexpr auto Channel = "marquee_changes";

    DatabaseRelay(Storage &storage, ChannelHub &hub, QObject *parent = nullptr);

    bool start(QString *error);

    /// What goes into a NOTIFY: the channel message, or for changes too big
    /// for PostgreSQL's 8000-byte payload a note to reload the event.
    static QByteArray encode(const AvailabilityChange &change);
    /// The change, or nullopt with \a reload set for a reload note.
    static std::optional<AvailabilityChange> decode(const QByteArray &payload, QString *reload);

private:
    void announce(const AvailabilityChanges &changes);
    void onPayload(const QString &payload);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
