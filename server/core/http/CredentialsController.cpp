#include "CredentialsController.h"

#include "Clock.h"
#include "Credentials.h"
#include "GuardedJob.h"
#include "RequestBodies.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Marquee {

namespace {

const QString AdminsOnly = QStringLiteral("an admin's session");

QJsonObject credentialJson(const Credentials::Credential &credential, const QDateTime &now)
{
    QJsonObject object{{QStringLiteral("id"), credential.id},
        {QStringLiteral("name"), credential.name},
        {QStringLiteral("purpose"), Credentials::purposeName(credential.purpose)},
        {QStringLiteral("createdAt"), isoUtc(credential.createdAt)},
        {QStringLiteral("expiresAt"), isoUtc(credential.expiresAt)},
        {QStringLiteral("createdBy"), credential.createdBy},
        {QStringLiteral("live"), credential.revokedAt.isNull() && credential.expiresAt > now}};
    if (!credential.revokedAt.isNull())
        object.insert(QStringLiteral("revokedAt"), isoUtc(credential.revokedAt));
    return object;
}

struct Listing
{
    QList<Credentials::Credential> all;
    QDateTime now;
};

} // namespace

CredentialsController::CredentialsController(Router &router, Storage &storage)
    : m_storage(storage)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, QStringLiteral("/api/v1/credentials"),
        [this](const HttpRequest &request, HttpReply reply) { list(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/api/v1/credentials"),
        [this](const HttpRequest &request, HttpReply reply) { issue(request, std::move(reply)); });
    router.add(Method::Delete, QStringLiteral("/api/v1/credentials/{}"),
        [this](const HttpRequest &request, HttpReply reply) { revoke(request, std::move(reply)); });
}

void CredentialsController::list(const HttpRequest &request, HttpReply reply)
{
    runGuarded<Listing>(
        m_storage, Caller::of(request), std::move(reply), Permission::ManageCredentials, AdminsOnly,
        [](StorageSession &s, const AuditActor &) {
            return Listing{Credentials(s.db, s.clock).list(), s.clock.now()};
        },
        [](HttpReply &out, const Listing &listing) {
            QJsonArray all;
            for (const Credentials::Credential &credential : listing.all)
                all.append(credentialJson(credential, listing.now));
            out.json(200, QJsonObject{{QStringLiteral("credentials"), all}});
        });
}

void CredentialsController::issue(const HttpRequest &request, HttpReply reply)
{
    QString problem;
    const auto credential = RequestBodies::newCredential(request.raw.body(), &problem);
    if (!credential)
        return reply.error(400, QStringLiteral("bad_request"), problem);
    const QString name = credential->name;
    runGuarded<std::optional<Credentials::Issued>>(
        m_storage, Caller::of(request), std::move(reply), Permission::ManageCredentials, AdminsOnly,
        [credential = *credential](StorageSession &s, const AuditActor &by) {
            return Credentials(s.db, s.clock)
                .issue(credential.name, credential.purpose, credential.days, by);
        },
        [name](HttpReply &out, const std::optional<Credentials::Issued> &issued) {
            if (!issued)
                return out.error(409, QStringLiteral("conflict"),
                    QStringLiteral("A live credential is named %1 already; revoke it first.")
                        .arg(name));
            QJsonObject answer = credentialJson(issued->credential, issued->credential.createdAt);
            answer.insert(QStringLiteral("token"), issued->token);
            out.json(201, answer);
        });
}

void CredentialsController::revoke(const HttpRequest &request, HttpReply reply)
{
    runGuarded<bool>(
        m_storage, Caller::of(request), std::move(reply), Permission::ManageCredentials, AdminsOnly,
        [id = request.args.at(0)](StorageSession &s, const AuditActor &by) {
            return Credentials(s.db, s.clock).revoke(id, by);
        },
        [](HttpReply &out, const bool &revoked) {
            if (!revoked)
                return out.error(
                    404, QStringLiteral("not_found"), QStringLiteral("No such live credential."));
            out.noContent();
        });
}

} // namespace Marquee
