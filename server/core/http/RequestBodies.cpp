#include "RequestBodies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace Marquee::RequestBodies {

namespace {

constexpr qsizetype MaxKeyLength = 128;

/// Sets \a error; converts to the empty answer of any of the parsers.
std::nullopt_t refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

/// The optional "holds" list of a counter sale: hold ids, unique, 1 to 10.
bool readHolds(const QJsonValue &holds, QStringList *out, QString *error)
{
    const QJsonArray list = holds.toArray();
    if (!holds.isArray() || list.isEmpty() || list.size() > 10) {
        refuse(error, QStringLiteral("\"holds\" must list the sale's holds (at most 10)."));
        return false;
    }
    QSet<QString> seen;
    for (const QJsonValue &hold : list) {
        if (!hold.isString() || hold.toString().isEmpty() || hold.toString().size() > 64) {
            refuse(error, QStringLiteral("\"holds\" must list hold ids."));
            return false;
        }
        if (seen.contains(hold.toString())) {
            refuse(error, QStringLiteral("\"holds\" names %1 twice.").arg(hold.toString()));
            return false;
        }
        seen.insert(hold.toString());
        out->append(hold.toString());
    }
    return true;
}

} // namespace

std::optional<CounterSaleService::Request> counterSale(
    const QByteArray &idempotencyKey, const QByteArray &body, QString *error)
{
    CounterSaleService::Request sale;
    sale.key = QString::fromLatin1(idempotencyKey);
    if (sale.key.isEmpty() || sale.key.size() > MaxKeyLength)
        return refuse(error,
            QStringLiteral("A sale needs an Idempotency-Key header (1–128 characters),"
                           " the same for every retry of that sale."));
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    sale.cart = object.value(QLatin1String("cart")).toString();
    sale.payment = object.value(QLatin1String("payment")).toString();
    if (sale.cart.isEmpty() || sale.cart.size() > 64)
        return refuse(error, QStringLiteral("\"cart\" must name a cart."));
    if (sale.payment != QLatin1String("cash"))
        return refuse(error, QStringLiteral("\"payment\" must be \"cash\"."));
    // The holds the clerk sees in the sale; optional for old clients.
    const QJsonValue holds = object.value(QLatin1String("holds"));
    if (!holds.isUndefined() && !readHolds(holds, &sale.holds, error))
        return std::nullopt;
    return sale;
}

std::optional<PaymentReport> paymentReport(
    const QByteArray &idempotencyKey, const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    PaymentReport report;
    report.key = QString::fromLatin1(idempotencyKey);
    if (report.key.isEmpty())
        report.key = object.value(QLatin1String("key")).toString();
    if (report.key.isEmpty() || report.key.size() > MaxKeyLength)
        return refuse(error, QStringLiteral("An idempotency key (1–128 characters) is required."));
    const QJsonValue amount = object.value(QLatin1String("amount"));
    if (!amount.isDouble() || amount.toDouble() < 0
        || amount.toDouble() != double(amount.toInteger()))
        return refuse(error, QStringLiteral("\"amount\" must be the amount paid, in minor units."));
    report.amount = amount.toInteger();
    const QJsonValue reference = object.value(QLatin1String("reference"));
    if (!reference.isUndefined() && !reference.isString())
        return refuse(
            error, QStringLiteral("\"reference\" must be the provider's reference, as text."));
    report.reference = reference.toString();
    if (report.reference.size() > 200)
        return refuse(error, QStringLiteral("\"reference\" is too long."));
    return report;
}

std::optional<SignIn> signIn(const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue user = object.value(QLatin1String("user"));
    const QJsonValue password = object.value(QLatin1String("password"));
    if (!user.isString() || !password.isString() || user.toString().size() > 64
        || password.toString().size() > 1024)
        return refuse(error, QStringLiteral("Send {\"user\": name, \"password\": password}."));
    return SignIn{user.toString(), password.toString()};
}

} // namespace Marquee::RequestBodies
