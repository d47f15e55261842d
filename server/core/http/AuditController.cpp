#include "AuditController.h"

#include "Clock.h"
#include "GuardedJob.h"
#include "RequestBodies.h"

#include <QJsonArray>
#include <QJsonObject>

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
    const auto page = RequestBodies::auditPage(request.raw.url().query(), &problem);
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
