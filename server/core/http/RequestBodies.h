#pragma once

#include "AuditLog.h"
#include "Buyer.h"
#include "CounterSaleService.h"
#include "Credentials.h"
#include "Role.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace Marquee::RequestBodies {

/// The JSON bodies of the write routes, and the query of the audit trail,
/// checked on the socket thread before any storage job. Pure functions of
/// the bytes (and the header that goes with them), so unit tests and the
/// fuzz target reach every check without a server or a database. Each
/// returns nullopt with a sentence fit for the client in \a error; the
/// controller answers 400 with it. The hold body is
/// Protocol::decodeHoldRequest, shared with the app.

/// POST /api/v1/counter/sales: the Idempotency-Key header and
/// {"cart", "payment": "cash", "holds"?}.
std::optional<CounterSaleService::Request> counterSale(
    const QByteArray &idempotencyKey, const QByteArray &body, QString *error);

/// What the payment provider (or the staff) reports it took.
struct PaymentReport
{
    QString key; ///< the Idempotency-Key header, or the body's "key"
    qint64 amount = 0; ///< minor units
    QString reference; ///< the provider's, may be empty
};

/// POST /api/v1/payments/{id}/confirm: {"amount", "reference"?, "key"?}.
std::optional<PaymentReport> paymentReport(
    const QByteArray &idempotencyKey, const QByteArray &body, QString *error);

/// POST /api/v1/carts/{cart}/checkout: {"name", "email"}.
std::optional<Buyer> buyer(const QByteArray &body, QString *error);

/// POST /api/v1/checkin: {"code", "event"?}; \a event is the door's.
struct CheckIn
{
    QString code;
    QString event;
};
std::optional<CheckIn> checkIn(const QByteArray &body, QString *error);

struct SignIn
{
    QString user;
    QString password;
};

/// POST /api/v1/session: {"user", "password"}.
std::optional<SignIn> signIn(const QByteArray &body, QString *error);

struct NewUser
{
    QString name; ///< Users::nameProblem() is empty for it
    QString password; ///< in clear, Passwords::problem() empty; hashed by the controller
    Role role = Role::Clerk;
};

/// POST /api/v1/users: {"name", "password", "role"}. A "disabled" of true
/// or false is allowed and not used: a new user starts enabled.
std::optional<NewUser> newUser(const QByteArray &body, QString *error);

/// What an admin changes of a user; unset fields stay as they are.
struct UserChange
{
    std::optional<Role> role;
    std::optional<bool> disabled;
    QString password; ///< in clear; empty: unchanged
};

/// PATCH /api/v1/users/{name}: any of {"role", "disabled", "password"}.
std::optional<UserChange> userChange(const QByteArray &body, QString *error);

struct NewCredential
{
    QString name; ///< a user name's rules
    Credentials::Purpose purpose = Credentials::Purpose::Payments;
    int days = 90; ///< 1 to Credentials::MaxDays
};

/// POST /api/v1/credentials: {"name", "purpose", "days"?}; 90 days when not sent.
std::optional<NewCredential> newCredential(const QByteArray &body, QString *error);

/// A page of the audit trail: entries with an id above \c after.
struct AuditPage
{
    qint64 after = 0;
    int limit = 100; ///< 1 to AuditLog::MaxPage
    AuditLog::Filter filter; ///< texts of at most 200 characters
};

/// GET /api/v1/audit: the URL's query as QUrl::query() gives it, with
/// "after", "limit", "actor", "action", "event", "from" and "until".
std::optional<AuditPage> auditPage(const QString &query, QString *error);

} // namespace Marquee::RequestBodies
