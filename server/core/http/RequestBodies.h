#pragma once

#include "CounterSaleService.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace Marquee::RequestBodies {

/// The JSON bodies of the write routes, checked on the socket thread before
/// any storage job. Pure functions of the bytes (and the header that goes
/// with them), so unit tests and the fuzz target reach every check without a
/// server or a database. Each returns nullopt with a sentence fit for the
/// client in \a error; the controller answers 400 with it. The hold body is
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

struct SignIn
{
    QString user;
    QString password;
};

/// POST /api/v1/session: {"user", "password"}.
std::optional<SignIn> signIn(const QByteArray &body, QString *error);

} // namespace Marquee::RequestBodies
