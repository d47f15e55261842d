#include "EventsController.h"

#include "ChannelHub.h"
#include "EventRepository.h"
#include "HttpReply.h"
#include "Router.h"
#include "Storage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {

QJsonObject summary(const EventInfo &event)
{
    return QJsonObject{{QStringLiteral("slug"), event.slug}, {QStringLiteral("name"), event.name},
        {QStringLiteral("kind"), eventKindName(event.kind)},
        {QStringLiteral("startsAt"), event.startsAt}, {QStringLiteral("venue"), event.venue},
        {QStringLiteral("currency"), event.currency}};
}

QJsonObject details(const EventInfo &event)
{
    QJsonObject object = summary(event);
    QJsonArray categories;
    for (const PriceCategory &category : event.categories) {
        categories.append(QJsonObject{{QStringLiteral("code"), category.code},
            {QStringLiteral("name"), category.name}, {QStringLiteral("price"), category.price},
            {QStringLiteral("color"), category.color}});
    }
    object.insert(QStringLiteral("priceCategories"), categories);
    object.insert(QStringLiteral("ticketTypes"),
        QJsonArray{QJsonObject{{QStringLiteral("code"), QStringLiteral("standard")},
            {QStringLiteral("name"), QStringLiteral("Standard")}}});
    if (event.kind == EventKind::Seated)
        object.insert(
            QStringLiteral("plan"), QStringLiteral("/api/v1/events/%1/plan.svg").arg(event.slug));
    else
        object.insert(QStringLiteral("capacity"), event.capacity);
    return object;
}

} // namespace

EventsController::EventsController(Router &router, Storage &storage, ChannelHub &hub)
    : m_storage(storage)
    , m_hub(hub)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, QStringLiteral("/api/v1/events"),
        [this](const HttpRequest &request, HttpReply reply) { list(request, std::move(reply)); });
    router.add(Method::Get, QStringLiteral("/api/v1/events/{}"),
        [this](const HttpRequest &request, HttpReply reply) { show(request, std::move(reply)); });
    router.add(Method::Get, QStringLiteral("/api/v1/events/{}/plan.svg"),
        [this](const HttpRequest &request, HttpReply reply) { plan(request, std::move(reply)); });
    router.add(Method::Get, QStringLiteral("/api/v1/events/{}/availability"),
        [this](const HttpRequest &request, HttpReply reply) {
            availability(request, std::move(reply));
        });
}

void EventsController::list(const HttpRequest &, HttpReply reply)
{
    m_storage.run<QList<EventInfo>>([](StorageSession &s) { return EventRepository(s.db).list(); },
        [reply](std::optional<QList<EventInfo>> events, const QString &error) mutable {
            if (!events)
                return reply.storageFailed(error);
            QJsonArray array;
            for (const EventInfo &event : *events)
                array.append(summary(event));
            reply.json(200, array);
        });
}

void EventsController::show(const HttpRequest &request, HttpReply reply)
{
    const QString slug = request.args.at(0);
    m_storage.run<std::optional<EventInfo>>(
        [slug](StorageSession &s) { return EventRepository(s.db).find(slug); },
        [reply](std::optional<std::optional<EventInfo>> event, const QString &error) mutable {
            if (!event)
                return reply.storageFailed(error);
            if (!*event)
                return reply.error(
                    404, QStringLiteral("not_found"), QStringLiteral("No such event."));
            reply.json(200, details(**event));
        });
}

void EventsController::plan(const HttpRequest &request, HttpReply reply)
{
    const QString slug = request.args.at(0);
    m_storage.run<std::optional<QByteArray>>(
        [slug](StorageSession &s) { return EventRepository(s.db).planSvg(slug); },
        [reply](std::optional<std::optional<QByteArray>> svg, const QString &error) mutable {
            if (!svg)
                return reply.storageFailed(error);
            if (!*svg)
                return reply.error(404, QStringLiteral("not_found"),
                    QStringLiteral("No seated event by that name."));
            reply.bytes(
                200, QByteArrayLiteral("image/svg+xml"), **svg, QByteArrayLiteral("no-cache"));
        });
}

void EventsController::availability(const HttpRequest &request, HttpReply reply)
{
    // Served from memory, not storage: the same state, in the same order, as
    // the channel.
    const QByteArray snapshot = m_hub.store().encodedSnapshot(request.args.at(0));
    if (snapshot.isEmpty())
        return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such event."));
    reply.bytes(200, QByteArrayLiteral("application/json"), snapshot);
}

} // namespace Marquee
