// The JSON body of every write route, and the audit trail's query, as the
// server checks them before any storage job (RequestBodies, and
// Protocol::decodeHoldRequest for holds). Input: the first byte picks the
// check (a letter below; any other byte picks one by its value), the rest is
// what that route reads. For the routes that also read the Idempotency-Key
// header, its first line is the header and the rest the body. The checks are
// each route's promises to the code behind it: what passes is within the
// limits the storage job and the database columns assume.
#include "Clock.h"
#include "FuzzCheck.h"
#include "Protocol.h"
#include "RequestBodies.h"

#include <QSet>

#include <algorithm>
#include <string>

using namespace Marquee;

namespace {

// The rules, written out again without the regular expressions the code
// under test uses: a pattern that lets more through than it says is one of
// the things to find.
bool isLower(QChar c)
{
    return c >= u'a' && c <= u'z';
}
bool isUpper(QChar c)
{
    return c >= u'A' && c <= u'Z';
}
bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

/// A user name (or a credential's) as the users table takes it.
bool validName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return isLower(c) || isUpper(c) || isDigit(c) || c == u'.' || c == u'_' || c == u'-';
    });
}

/// An event slug: 1 to 64 of a-z, 0-9 and '-', not starting with '-'.
bool validSlug(const QString &slug)
{
    if (slug.isEmpty() || slug.size() > 64 || slug.front() == u'-')
        return false;
    return std::all_of(
        slug.cbegin(), slug.cend(), [](QChar c) { return isLower(c) || isDigit(c) || c == u'-'; });
}

/// A seat label: 1 to 16 of A-Z, a-z, 0-9, '_' and '-', starting with a
/// letter or digit.
bool validLabel(const QString &label)
{
    if (label.isEmpty() || label.size() > 16 || label.front() == u'_' || label.front() == u'-')
        return false;
    return std::all_of(label.cbegin(), label.cend(),
        [](QChar c) { return isLower(c) || isUpper(c) || isDigit(c) || c == u'_' || c == u'-'; });
}

bool knownRole(Role role)
{
    return role == Role::Clerk || role == Role::Manager || role == Role::Admin;
}

/// A password as it will be hashed: 8 to 1,024 characters.
bool validPassword(const QString &password)
{
    return password.size() >= 8 && password.size() <= 1024;
}

/// A bound of the audit filter: not sent, or an instant whose text form (the
/// one the audit_log.at column holds and is compared with) exists.
bool validBound(const QDateTime &bound)
{
    return bound.isNull() || (bound.isValid() && !isoUtc(bound).isEmpty());
}

void splitKey(const QByteArray &input, QByteArray *key, QByteArray *body)
{
    const qsizetype newline = input.indexOf('\n');
    *key = newline < 0 ? QByteArray() : input.left(newline);
    *body = newline < 0 ? input : input.mid(newline + 1);
}

void checkCounterSale(const QByteArray &input)
{
    QByteArray key, body;
    splitKey(input, &key, &body);
    QString error;
    const auto sale = RequestBodies::counterSale(key, body, &error);
    FUZZ_CHECK(sale.has_value() == error.isEmpty());
    if (!sale)
        return;
    FUZZ_CHECK(!sale->key.isEmpty() && sale->key.size() <= 128);
    FUZZ_CHECK(!sale->cart.isEmpty() && sale->cart.size() <= 64);
    FUZZ_CHECK(sale->payment == QLatin1String("cash"));
    FUZZ_CHECK(sale->holds.size() <= 10);
    const QSet<QString> unique(sale->holds.cbegin(), sale->holds.cend());
    FUZZ_CHECK(unique.size() == sale->holds.size());
    for (const QString &hold : sale->holds)
        FUZZ_CHECK(!hold.isEmpty() && hold.size() <= 64);
}

void checkPaymentReport(const QByteArray &input)
{
    QByteArray key, body;
    splitKey(input, &key, &body);
    QString error;
    const auto report = RequestBodies::paymentReport(key, body, &error);
    FUZZ_CHECK(report.has_value() == error.isEmpty());
    if (!report)
        return;
    FUZZ_CHECK(!report->key.isEmpty() && report->key.size() <= 128);
    FUZZ_CHECK(report->amount >= 0);
    FUZZ_CHECK(report->reference.size() <= 200);
}

void checkBuyer(const QByteArray &body)
{
    QString error;
    const auto buyer = RequestBodies::buyer(body, &error);
    FUZZ_CHECK(buyer.has_value() == error.isEmpty());
    if (!buyer)
        return;
    // Whatever is accepted can go into a mail header unchanged.
    FUZZ_CHECK(!buyer->name.isEmpty() && buyer->name.size() <= 100);
    FUZZ_CHECK(buyer->email.size() <= 254 && buyer->email.count(u'@') == 1);
    for (const QString &text : {buyer->name, buyer->email})
        FUZZ_CHECK(!text.contains(u'\r') && !text.contains(u'\n'));
}

void checkCheckIn(const QByteArray &body)
{
    QString error;
    const auto scan = RequestBodies::checkIn(body, &error);
    FUZZ_CHECK(scan.has_value() == error.isEmpty());
    if (scan)
        FUZZ_CHECK(!scan->code.isEmpty() && scan->code.size() <= 200 && scan->event.size() <= 100);
}

void checkSignIn(const QByteArray &body)
{
    QString error;
    const auto signIn = RequestBodies::signIn(body, &error);
    FUZZ_CHECK(signIn.has_value() == error.isEmpty());
    if (signIn)
        FUZZ_CHECK(signIn->user.size() <= 64 && signIn->password.size() <= 1024);
}

void checkHold(const QByteArray &body)
{
    QString error;
    const Protocol::HoldRequestLimits limits;
    const auto hold = Protocol::decodeHoldRequest(body, limits, &error);
    FUZZ_CHECK(hold.has_value() == error.isEmpty());
    if (!hold)
        return;
    FUZZ_CHECK(validSlug(hold->event));
    // Seats or a quantity, never both, within the limits.
    FUZZ_CHECK(hold->seats.isEmpty() != (hold->quantity == 0));
    FUZZ_CHECK(hold->quantity >= 0 && hold->quantity <= limits.maxQuantity);
    FUZZ_CHECK(hold->seats.size() <= limits.maxSeats);
    const QSet<QString> unique(hold->seats.cbegin(), hold->seats.cend());
    FUZZ_CHECK(unique.size() == hold->seats.size());
    for (const QString &seat : hold->seats)
        FUZZ_CHECK(validLabel(seat));
}

void checkNewUser(const QByteArray &body)
{
    QString error;
    const auto user = RequestBodies::newUser(body, &error);
    FUZZ_CHECK(user.has_value() == error.isEmpty());
    if (!user)
        return;
    FUZZ_CHECK(validName(user->name));
    FUZZ_CHECK(validPassword(user->password));
    FUZZ_CHECK(knownRole(user->role));
}

void checkUserChange(const QByteArray &body)
{
    QString error;
    const auto change = RequestBodies::userChange(body, &error);
    FUZZ_CHECK(change.has_value() == error.isEmpty());
    if (!change)
        return;
    FUZZ_CHECK(!change->role || knownRole(*change->role));
    // Empty means "unchanged": an empty password can never be set.
    FUZZ_CHECK(change->password.isEmpty() || validPassword(change->password));
}

void checkNewCredential(const QByteArray &body)
{
    QString error;
    const auto credential = RequestBodies::newCredential(body, &error);
    FUZZ_CHECK(credential.has_value() == error.isEmpty());
    if (!credential)
        return;
    FUZZ_CHECK(validName(credential->name));
    FUZZ_CHECK(credential->purpose == Credentials::Purpose::Payments
        || credential->purpose == Credentials::Purpose::Scanner);
    FUZZ_CHECK(credential->days >= 1 && credential->days <= 366);
}

void checkAuditPage(const QByteArray &query)
{
    QString error;
    const auto page = RequestBodies::auditPage(QString::fromUtf8(query), &error);
    FUZZ_CHECK(page.has_value() == error.isEmpty());
    if (!page)
        return;
    FUZZ_CHECK(page->after >= 0);
    FUZZ_CHECK(page->limit >= 1 && page->limit <= 500);
    FUZZ_CHECK(page->filter.actor.size() <= 200);
    FUZZ_CHECK(page->filter.action.size() <= 200);
    FUZZ_CHECK(page->filter.event.size() <= 200);
    FUZZ_CHECK(validBound(page->filter.from));
    FUZZ_CHECK(validBound(page->filter.until));
}

/// The selector letters, in the order of checks[]: sale, payment, sign-in
/// ("i"), hold, user, change, credential ("k"), audit, buyer, door ("d").
constexpr char Selectors[] = "spihuckabd";
void (*const checks[])(const QByteArray &)
    = {checkCounterSale, checkPaymentReport, checkSignIn, checkHold, checkNewUser, checkUserChange,
        checkNewCredential, checkAuditPage, checkBuyer, checkCheckIn};
constexpr size_t CheckCount = sizeof checks / sizeof checks[0];
static_assert(sizeof Selectors - 1 == CheckCount);

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *const letter = std::char_traits<char>::find(Selectors, CheckCount, char(data[0]));
    const size_t which = letter ? size_t(letter - Selectors) : data[0] % CheckCount;
    checks[which](
        QByteArray::fromRawData(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)));
    return 0;
}
