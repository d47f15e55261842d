#pragma once

namespace Marquee {

class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// Admins manage machine credentials: GET and POST /api/v1/credentials,
/// DELETE /api/v1/credentials/{id} (revoke).
class CredentialsController
{
public:
    CredentialsController(Router &router, Storage &storage);

private:
    void list(const HttpRequest &request, HttpReply reply);
    void issue(const HttpRequest &request, HttpReply reply);
    void revoke(const HttpRequest &request, HttpReply reply);

    Storage &m_storage;
};

} // namespace Marquee
