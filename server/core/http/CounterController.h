#pragma once

#include "CounterSaleService.h"

#include <optional>

namespace Marquee {

class ChannelHub;
class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// Staff calls made at the counter: the cash sale, which turns a cart's
/// holds into a paid order, idempotent under the terminal's key; and until
/// when seats someone else holds are held.
class CounterController
{
public:
    CounterController(Router &router, Storage &storage, ChannelHub &hub);

private:
    /// POST /api/v1/counter/sales
    void sell(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/counter/events/{slug}/held?seats=A1,A2
    void heldUntil(const HttpRequest &request, HttpReply reply);
    static void answer(HttpReply &reply, const CounterSaleService::Outcome &outcome);

    Storage &m_storage;
    ChannelHub &m_hub;
};

} // namespace Marquee
