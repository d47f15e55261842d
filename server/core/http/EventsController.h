#pragma once

namespace Marquee {

class ChannelHub;
class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// GET /api/v1/events, an event's details, its plan and its availability.
class EventsController
{
public:
    EventsController(Router &router, Storage &storage, ChannelHub &hub);

private:
    /// GET /api/v1/events
    void list(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/events/{slug}
    void show(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/events/{slug}/plan.svg
    void plan(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/events/{slug}/availability
    void availability(const HttpRequest &request, HttpReply reply);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
