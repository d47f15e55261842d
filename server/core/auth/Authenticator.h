#pragma once

#include "Principal.h"

#include <QSqlDatabase>
#include <optional>

namespace Marquee {

class Clock;

/// Turns a bearer token into whom it speaks for: a live staff session or a
/// live machine credential. Cart tokens are not principals; carts check
/// their own (CartService::authorize).
class Authenticator
{
public:
    Authenticator(QSqlDatabase db, const Clock &clock);

    std::optional<Principal> identify(const QString &token) const;

private:
    QSqlDatabase m_db;
    const Clock &m_clock;
};

} // namespace Marquee
