#pragma once

#include "Access.h"
#include "AuditLog.h"
#include "HttpReply.h"
#include "Router.h"
#include "Storage.h"

#include <functional>

namespace Marquee {

/// Who calls, kept beyond the request (whose object dies when the handler
/// returns).
struct Caller
{
    QString token;
    QString address;

    static Caller of(const HttpRequest &request)
    {
        return {request.bearer(), request.client.toString()};
    }
};

/// The shape of every staff call: check on the storage thread that the
/// bearer may do \a action, run \a job there with who it is (as the audit
/// trail names them), then \a respond on the server's thread. A refusal is
/// answered 401 or 403, saying that the call needs \a what.
template <typename Outcome>
void runGuarded(Storage &storage, const Caller &caller, HttpReply reply, Permission action,
    const QString &what, std::function<Outcome(StorageSession &, const AuditActor &)> job,
    std::function<void(HttpReply &, const Outcome &)> respond)
{
    const QString token = caller.token;
    const QString address = caller.address;
    storage.run<Guarded<Outcome>>(
        [token, address, action, job = std::move(job)](StorageSession &s) -> Guarded<Outcome> {
            const Authorized access = authorize(s.db, s.clock, token, action);
            if (!access.allowed())
                return {access};
            return {access, job(s, AuditActor{access.who.actor(), address})};
        },
        [reply, what, respond = std::move(respond)](
            std::optional<Guarded<Outcome>> result, const QString &error) mutable {
            if (!result)
                return reply.storageFailed(error);
            if (!result->access.allowed())
                return refuse(reply, result->access.verdict, what);
            respond(reply, result->outcome);
        });
}

} // namespace Marquee
