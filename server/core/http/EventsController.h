#pragma once

namespace Marquee {

class ChannelHub;
class Router;
class Storage;

/// GET /api/v1/events, an event's details, its plan and its availability.
class EventsController
{
public:
    EventsController(Router &router, Storage &storage, ChannelHub &hub);

private:
    void registerRoutes(Router &router);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
