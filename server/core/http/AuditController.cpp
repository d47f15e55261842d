#include "AuditController.h"

#include "Clock.h"
#include "GuardedJob.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

namespace Marquee {

namespace {

QJsonObject entryJson(const AuditLog::Entry &entry)
{
    QJsonObject object{{QStringLiteral("id"), entry.id}, {QStringLiteral("at"), isoUtc(entry.at)},
        {QStringLiteral("actor"), entry.actor}, {QStringLiteral("action"), entry.action},
        {QStringLiteral("subject"), entry.subject}, {QStringLiteral("address"), entry.address}};
    if (!entry.event.isEmpty())
        object.insert(QStringLiteral("event"), entry.event);
    if (!entry.details.isEmpty())
        object.insert(QStringLiteral("details"), entry.details);
    return object;
}

struct PageRequest
{
    qint64 after = 0;
    int limit = 100;
    AuditLog::Filter filter;
};

/// The query's paging and filters; nullopt with \a problem for bad ones.
std::optional<PageRequest> readQuery(const QUrlQuery &query, QString *problem)
{
    PageRequest page;
    bool ok = true;
    if (query.hasQueryItem(QStringLiteral("after")))
        page.after = query.queryItemValue(QStringLiteral("after")).toLongLong(&ok);
    if (ok && query.hasQueryItem(QStringLiteral("limit"))) {
        page.limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        ok = ok && page.limit >= 1 && page.limit <= AuditLog::MaxPage;
    }
    if (!ok || page.after < 0) {
        *problem
            = QStringLiteral("\"after\" is an entry id, \"limit\" 1 to %1.").arg(AuditLog::MaxPage);
        return std::nullopt;
    }
    const auto text = [&](const QString &key) {
        return query.queryItemValue(key, QUrl::FullyDecoded).left(200);
    };
    page.filter.actor = text(QStringLiteral("actor"));
    page.filter.action = text(QStringLiteral("action"));
    page.filter.event = text(QStringLiteral("event"));
    for (const auto &[key, bound] : {std::pair{QStringLiteral("from"), &page.filter.from},
             std::pair{QStringLiteral("until"), &page.filter.until}}) {
        if (!query.hasQueryItem(key))
            continue;
        *bound = QDateTime::fromString(text(key), Qt::ISODate);
        if (!bound->isValid()) {
            *problem
                = QStringLiteral("\"%1\" is an ISO-8601 time, e.g. 2026-12-01T00:00:00Z.").arg(key);
            return std::nullopt;
        }
    }
    return page;
}

} // namespace

AuditController::AuditController(Router &router, Storage &storage)
    : m_storage(storage)
{
    router.add(QHttpServerRequest::Method::Get, QStringLiteral("/api/v1/audit"),
        [this](const HttpRequest &request, HttpReply reply) { read(request, std::move(reply)); });
}

void AuditController::read(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto page = readQuery(QUrlQuery(request.raw.url()), &problem);
    if (!page)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    runGuarded<AuditLog::Page>(
        m_storage, Caller::of(request), std::move(reply), Permission::ReadAudit,
        QStringLiteral("a manager's session"),
        [page = *page](StorageSession &s, const AuditActor &) {
            return AuditLog(s.db, s.clock).read(page.after, page.limit, page.filter);
        },
        [](HttpReply &out, const AuditLog::Page &result) {
            QJsonArray entries;
            for (const AuditLog::Entry &entry : result.entries)
                entries.append(entryJson(entry));
            out.json(200,
                QJsonObject{
                    {QStringLiteral("entries"), entries}, {QStringLiteral("next"), result.next}});
        });
}

} // namespace Marquee
