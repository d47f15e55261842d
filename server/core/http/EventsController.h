#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace Marquee {

class ChannelHub;
class EventCatalog;
class HttpReply;
class Router;
struct HttpRequest;

/// GET /api/v1/events, an event's details, its plan and its availability,
/// all answered from memory (EventCatalog, AvailabilityStore): none of them
/// waits for the storage thread.
class EventsController
{
public:
    EventsController(Router &router, const EventCatalog &catalog, ChannelHub &hub);

private:
    /// A plan as sent: its ETag, and gzipped for clients that take it (the
    /// 20,000-seat arena is 3.7 MB of SVG), made once per catalog load.
    struct PlanBody
    {
        quint64 generation = 0;
        QByteArray etag;
        QByteArray gzipped;
    };
    const PlanBody &planBody(const QString &slug, const QByteArray &svg);

    /// GET /api/v1/events
    void list(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/events/{slug}
    void show(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/events/{slug}/plan.svg
    void plan(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/events/{slug}/availability
    void availability(const HttpRequest &request, HttpReply reply);

    const EventCatalog &m_catalog;
    ChannelHub &m_hub;
    QHash<QString, PlanBody> m_plans;
};

} // namespace Marquee
