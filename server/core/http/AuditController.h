#pragma once

namespace Marquee {

class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// GET /api/v1/audit (managers): the audit trail, oldest first, a page at
/// a time, filtered by actor, action, event and time.
class AuditController
{
public:
    AuditController(Router &router, Storage &storage);

private:
    void read(const HttpRequest &request, HttpReply reply);

    Storage &m_storage;
};

} // namespace Marquee
