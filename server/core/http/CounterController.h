#pragma once

namespace Marquee {

class ChannelHub;
class Router;
class Storage;

/// Staff calls made at the counter. For now the cash sale, which turns a
/// cart's holds into a paid order; staff authenticate with a staff token.
class CounterController
{
public:
    CounterController(Router &router, Storage &storage, ChannelHub &hub);

private:
    void registerRoutes(Router &router);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
