#pragma once

#include "CheckInService.h"

namespace Marquee {

class HttpReply;
class Router;
class Storage;
struct HttpRequest;

/// The door: POST /api/v1/checkin (staff or a scanner's credential) and the
/// counts GET /api/v1/events/{slug}/checkins.
class CheckInController
{
public:
    CheckInController(Router &router, Storage &storage);

private:
    void checkIn(const HttpRequest &request, HttpReply reply);
    void counts(const HttpRequest &request, HttpReply reply);
    static void answer(HttpReply &reply, const CheckInService::Outcome &outcome);

    Storage &m_storage;
};

} // namespace Marquee
