#include "EventsController.h"

#include "ChannelHub.h"
#include "EventCatalog.h"
#include "Gzip.h"
#include "HttpReply.h"
#include "Router.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Marquee {

namespace {

QJsonObject summary(const EventInfo &event)
{
    return QJsonObject{{QStringLiteral("slug"), event.slug}, {QStringLiteral("name"), event.name},
        {QStringLiteral("kind"), eventKindName(event.kind)},
        {QStringLiteral("startsAt"), event.startsAt}, {QStringLiteral("timeZone"), event.timeZone},
        {QStringLiteral("venue"), event.venue}, {QStringLiteral("currency"), event.currency}};
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

EventsController::EventsController(Router &router, const EventCatalog &catalog, ChannelHub &hub)
    : m_catalog(catalog)
    , m_hub(hub)
{
    using Method = QHttpServerRequest::Method;
    constexpr Router::Uses memory = Router::Uses::MemoryOnly;
    router.add(
        Method::Get, QStringLiteral("/api/v1/events"),
        [this](const HttpRequest &request, HttpReply reply) { list(request, std::move(reply)); },
        memory);
    router.add(
        Method::Get, QStringLiteral("/api/v1/events/{}"),
        [this](const HttpRequest &request, HttpReply reply) { show(request, std::move(reply)); },
        memory);
    router.add(
        Method::Get, QStringLiteral("/api/v1/events/{}/plan.svg"),
        [this](const HttpRequest &request, HttpReply reply) { plan(request, std::move(reply)); },
        memory);
    router.add(
        Method::Get, QStringLiteral("/api/v1/events/{}/availability"),
        [this](const HttpRequest &request, HttpReply reply) {
            availability(request, std::move(reply));
        },
        memory);
}

namespace {

/// If-None-Match: "*" or a list of tags, compared weakly (RFC 9110 13.1.2).
bool matchesAny(const QByteArray &header, const QByteArray &etag)
{
    for (QByteArray tag : header.split(',')) {
        tag = tag.trimmed();
        if (tag.startsWith("W/"))
            tag.remove(0, 2);
        if (tag == "*" || tag == etag)
            return true;
    }
    return false;
}

} // namespace

void EventsController::list(const HttpRequest &, HttpReply reply)
{
    QJsonArray array;
    for (const EventInfo &event : m_catalog.events())
        array.append(summary(event));
    reply.json(200, array);
}

void EventsController::show(const HttpRequest &request, HttpReply reply)
{
    const EventInfo *const event = m_catalog.find(request.args.at(0));
    if (!event)
        return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such event."));
    reply.json(200, details(*event));
}

void EventsController::plan(const HttpRequest &request, HttpReply reply)
{
    const EventInfo *const event = m_catalog.find(request.args.at(0));
    if (!event || event->kind != EventKind::Seated || event->planSvg.isEmpty())
        return reply.error(
            404, QStringLiteral("not_found"), QStringLiteral("No seated event by that name."));
    // no-cache with a validator: the page asks again on every load, and an
    // unchanged plan costs a 304 instead of megabytes.
    const PlanBody &body = planBody(event->slug, event->planSvg);
    reply.setHeader(QByteArrayLiteral("ETag"), body.etag);
    reply.setHeader(QByteArrayLiteral("Vary"), QByteArrayLiteral("Accept-Encoding"));
    if (matchesAny(request.header("if-none-match"), body.etag))
        return reply.bytes(
            304, QByteArrayLiteral("image/svg+xml"), {}, QByteArrayLiteral("no-cache"));
    if (!body.gzipped.isEmpty() && request.header("accept-encoding").contains("gzip")) {
        reply.setHeader(QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip"));
        return reply.bytes(
            200, QByteArrayLiteral("image/svg+xml"), body.gzipped, QByteArrayLiteral("no-cache"));
    }
    reply.bytes(
        200, QByteArrayLiteral("image/svg+xml"), event->planSvg, QByteArrayLiteral("no-cache"));
}

const EventsController::PlanBody &EventsController::planBody(
    const QString &slug, const QByteArray &svg)
{
    PlanBody &body = m_plans[slug];
    if (body.etag.isEmpty() || body.generation != m_catalog.generation()) {
        const QByteArray hash = QCryptographicHash::hash(svg, QCryptographicHash::Sha256);
        body.generation = m_catalog.generation();
        body.etag = '"'
            + hash.left(16).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
            + '"';
        body.gzipped = gzip(svg);
    }
    return body;
}

void EventsController::availability(const HttpRequest &request, HttpReply reply)
{
    // The same state, in the same order, as the channel.
    const QByteArray snapshot = m_hub.store().encodedSnapshot(request.args.at(0));
    if (snapshot.isEmpty())
        return reply.error(404, QStringLiteral("not_found"), QStringLiteral("No such event."));
    reply.bytes(200, QByteArrayLiteral("application/json"), snapshot);
}

} // namespace Marquee
