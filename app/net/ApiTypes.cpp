#include "ApiTypes.h"

#include "Protocol.h"

#include <QJsonArray>

namespace Marquee::ApiJson {

namespace {

QString text(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toString();
}

std::optional<qint64> integer(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (number != double(qint64(number)))
        return std::nullopt;
    return qint64(number);
}

QDateTime time(const QJsonObject &object, const char *key)
{
    return QDateTime::fromString(text(object, key), Qt::ISODate);
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (item.isString())
            out.append(item.toString());
    }
    return out;
}

} // namespace

std::optional<EventSummary> eventSummary(const QJsonObject &object)
{
    EventSummary event;
    event.slug = text(object, "slug");
    event.name = text(object, "name");
    const auto kind = eventKindFromString(text(object, "kind"));
    if (!Protocol::isValidSlug(event.slug) || event.name.isEmpty() || !kind)
        return std::nullopt;
    event.kind = *kind;
    event.startsAt = time(object, "startsAt");
    event.venue = text(object, "venue");
    event.currency = text(object, "currency");
    event.timeZone = text(object, "timeZone");
    return event;
}

std::optional<EventDetails> eventDetails(const QJsonObject &object)
{
    const auto summary = eventSummary(object);
    if (!summary)
        return std::nullopt;
    EventDetails details;
    details.summary = *summary;
    const QJsonArray categories = object.value(QLatin1String("priceCategories")).toArray();
    for (const QJsonValue &value : categories) {
        const QJsonObject item = value.toObject();
        EventPriceCategory category;
        category.code = text(item, "code");
        category.name = text(item, "name");
        category.color = text(item, "color");
        const auto price = integer(item, "price");
        if (category.code.isEmpty() || !price || *price < 0)
            return std::nullopt;
        category.price = *price;
        if (category.name.isEmpty())
            category.name = category.code;
        details.categories.append(category);
    }
    details.planPath = text(object, "plan");
    details.capacity = int(integer(object, "capacity").value_or(0));
    if (details.summary.kind == EventKind::Seated && details.planPath.isEmpty())
        return std::nullopt;
    return details;
}

std::optional<Cart> cart(const QJsonObject &object)
{
    Cart cart;
    cart.id = text(object, "cart");
    cart.token = text(object, "token");
    if (cart.id.isEmpty() || cart.token.isEmpty())
        return std::nullopt;
    return cart;
}

std::optional<Hold> hold(const QJsonObject &object)
{
    Hold hold;
    hold.id = text(object, "hold");
    hold.event = text(object, "event");
    hold.seats = strings(object.value(QLatin1String("seats")));
    hold.quantity = int(integer(object, "quantity").value_or(hold.seats.size()));
    const auto total = integer(object, "total");
    if (hold.id.isEmpty() || hold.event.isEmpty() || !total)
        return std::nullopt;
    hold.total = Money{*total, text(object, "currency")};
    hold.expiresAt = time(object, "expiresAt");
    hold.renewalsLeft = int(integer(object, "renewalsLeft").value_or(-1));
    return hold;
}

std::optional<SaleReceipt> saleReceipt(const QJsonObject &object)
{
    SaleReceipt receipt;
    receipt.order = text(object, "order");
    const auto total = integer(object, "total");
    if (receipt.order.isEmpty() || !total)
        return std::nullopt;
    receipt.total = Money{*total, text(object, "currency")};
    receipt.tickets = int(object.value(QLatin1String("tickets")).toArray().size());
    return receipt;
}

std::optional<StaffSession> staffSession(const QJsonObject &object)
{
    StaffSession session{text(object, "token"), text(object, "user"), text(object, "role")};
    if (session.token.isEmpty() || session.user.isEmpty() || session.role.isEmpty())
        return std::nullopt;
    return session;
}

std::optional<AuditEntry> auditEntry(const QJsonObject &object)
{
    AuditEntry entry;
    const auto id = integer(object, "id");
    entry.at = time(object, "at").toUTC();
    entry.actor = text(object, "actor");
    entry.action = text(object, "action");
    entry.subject = text(object, "subject");
    entry.address = text(object, "address");
    entry.event = text(object, "event");
    const QJsonValue details = object.value(QLatin1String("details"));
    if (!id || *id <= 0 || !entry.at.isValid() || entry.actor.isEmpty() || entry.action.isEmpty()
        || !(details.isUndefined() || details.isObject()))
        return std::nullopt;
    entry.id = *id;
    entry.details = details.toObject();
    return entry;
}

std::optional<AuditPage> auditPage(const QJsonObject &object)
{
    AuditPage page;
    const auto next = integer(object, "next");
    const QJsonValue entries = object.value(QLatin1String("entries"));
    if (!next || *next < 0 || !entries.isArray())
        return std::nullopt;
    page.next = *next;
    const QJsonArray array = entries.toArray();
    for (const QJsonValue &value : array) {
        const auto entry = auditEntry(value.toObject());
        if (!entry)
            return std::nullopt;
        page.entries.append(*entry);
    }
    return page;
}

ApiError error(int status, const QJsonObject &object)
{
    ApiError error;
    error.status = status;
    error.code = text(object, "error");
    error.message = text(object, "message");
    error.seats = strings(object.value(QLatin1String("seats")));
    error.available = int(integer(object, "available").value_or(-1));
    error.holds = strings(object.value(QLatin1String("holds")));
    error.retryAfter = int(integer(object, "retryAfter").value_or(0));
    return error;
}

std::optional<DoorTicket> doorTicket(const QJsonObject &object)
{
    DoorTicket ticket;
    ticket.code = text(object, "code");
    ticket.event = text(object, "event");
    ticket.eventName = text(object, "eventName");
    ticket.startsAt = time(object, "startsAt").toUTC();
    ticket.timeZone = text(object, "timeZone");
    ticket.seat = text(object, "seat"); // null for general admission
    ticket.category = text(object, "category");
    ticket.categoryName = text(object, "categoryName");
    ticket.order = text(object, "order");
    ticket.buyer = text(object, "buyer");
    ticket.redeemedAt = time(object, "redeemedAt").toUTC();
    if (ticket.code.isEmpty() || !Protocol::isValidSlug(ticket.event))
        return std::nullopt;
    if (ticket.categoryName.isEmpty())
        ticket.categoryName = ticket.category;
    return ticket;
}

std::optional<DoorVerdict> doorVerdict(int status, const QJsonObject &object)
{
    using Result = DoorVerdict::Result;
    DoorVerdict verdict;
    const QString code = text(object, "error");
    if (status == 404 && code == QLatin1String("not_found"))
        return verdict; // Unknown: no ticket to read
    if (status == 200 && text(object, "result") == QLatin1String("ok"))
        verdict.result = Result::Admitted;
    else if (status == 409 && code == QLatin1String("already_redeemed"))
        verdict.result = Result::AlreadyIn;
    else if (status == 409 && code == QLatin1String("revoked"))
        verdict.result = Result::Revoked;
    else if (status == 409 && code == QLatin1String("wrong_event"))
        verdict.result = Result::WrongEvent;
    else
        return std::nullopt;
    // Only a ticket let in must be described (the seat is what the door
    // tells the guest); a refusal stands without one.
    const auto ticket = doorTicket(object.value(QLatin1String("ticket")).toObject());
    if (ticket)
        verdict.ticket = *ticket;
    else if (verdict.result == Result::Admitted)
        return std::nullopt;
    verdict.at = time(object, "at").toUTC();
    if (!verdict.at.isValid())
        verdict.at = verdict.ticket.redeemedAt;
    verdict.otherEvent = text(object, "event");
    verdict.otherEventName = text(object, "eventName");
    if (verdict.otherEvent.isEmpty())
        verdict.otherEvent = verdict.ticket.event;
    if (verdict.otherEventName.isEmpty())
        verdict.otherEventName = verdict.ticket.eventName;
    if (verdict.result == Result::WrongEvent && verdict.otherEventName.isEmpty())
        verdict.otherEventName = verdict.otherEvent;
    return verdict;
}

std::optional<DoorCounts> doorCounts(const QJsonObject &object)
{
    DoorCounts counts;
    counts.event = text(object, "event");
    const auto entered = integer(object, "entered");
    const auto sold = integer(object, "sold");
    if (counts.event.isEmpty() || !entered || !sold || *entered < 0 || *sold < 0)
        return std::nullopt;
    counts.entered = int(*entered);
    counts.sold = int(*sold);
    return counts;
}

} // namespace Marquee::ApiJson

namespace Marquee {

qint64 EventDetails::priceOf(const QString &code) const
{
    for (const EventPriceCategory &entry : categories) {
        if (entry.code == code)
            return entry.price;
    }
    // General admission: one category that every ticket uses.
    return code.isEmpty() && !categories.isEmpty() ? categories.first().price : 0;
}

QString EventDetails::categoryName(const QString &code) const
{
    for (const EventPriceCategory &category : categories) {
        if (category.code == code)
            return category.name;
    }
    return code.isEmpty() && !categories.isEmpty() ? categories.first().name : code;
}

} // namespace Marquee
