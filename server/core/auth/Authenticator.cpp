#include "Authenticator.h"

#include "Credentials.h"
#include "Sessions.h"

namespace Marquee {

Authenticator::Authenticator(QSqlDatabase db, const Clock &clock)
    : m_db(std::move(db))
    , m_clock(clock)
{
}

std::optional<Principal> Authenticator::identify(const QString &token) const
{
    if (token.isEmpty())
        return std::nullopt;
    if (auto staff = Sessions(m_db, m_clock).principalOf(token))
        return staff;
    return Credentials(m_db, m_clock).principalOf(token);
}

} // namespace Marquee
