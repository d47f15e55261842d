// The parts of Users, Passwords and Credentials that are rules about text and
// nothing else: what a name, a password and a credential's purpose may be.
// They live apart from the SQL and libsodium code of those classes so the
// request-body checks (RequestBodies) can be compiled, and fuzzed, without a
// database driver or libsodium; the declarations stay where callers look.
#include "Credentials.h"
#include "Passwords.h"
#include "Users.h"

#include <QRegularExpression>

namespace Marquee {

QString Users::nameProblem(const QString &name)
{
    // Anchored with \A and \z: PCRE's "$" also matches before a final
    // newline, which let "bea\n" through as a name.
    static const QRegularExpression allowed(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9._-]{1,64}")));
    if (!allowed.match(name).hasMatch())
        return QStringLiteral("a user name has 1 to 64 letters, digits, '.', '_' or '-'");
    return {};
}

QString Passwords::problem(const QString &password)
{
    if (password.size() < 8)
        return QStringLiteral("a password needs at least 8 characters");
    if (password.size() > 1024)
        return QStringLiteral("a password may have at most 1,024 characters");
    return {};
}

QString Credentials::purposeName(Purpose purpose)
{
    return purpose == Purpose::Payments ? QStringLiteral("payments") : QStringLiteral("scanner");
}

std::optional<Credentials::Purpose> Credentials::purposeFromName(const QString &name)
{
    for (Purpose purpose : {Purpose::Payments, Purpose::Scanner}) {
        if (name == purposeName(purpose))
            return purpose;
    }
    return std::nullopt;
}

} // namespace Marquee
