#include "RequestBodies.h"

#include "Clock.h"
#include "Passwords.h"
#include "Users.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrlQuery>

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

/// The fields a new user and a change share; \a creating needs a role and
/// a password.
std::optional<UserChange> readUserFields(const QJsonObject &body, bool creating, QString *error)
{
    const QJsonValue role = body.value(QLatin1String("role"));
    const QJsonValue disabled = body.value(QLatin1String("disabled"));
    const QJsonValue secret = body.value(QLatin1String("password"));
    QString problem;
    if (!role.isUndefined() && !roleFromName(role.toString()))
        problem = QStringLiteral("\"role\" is clerk, manager or admin.");
    else if (!disabled.isUndefined() && !disabled.isBool())
        problem = QStringLiteral("\"disabled\" is true or false.");
    else if (!secret.isUndefined() && !secret.isString())
        problem = QStringLiteral("\"password\" is a string.");
    else if (creating && (secret.isUndefined() || role.isUndefined()))
        problem = QStringLiteral("A new user needs \"name\", \"password\" and \"role\".");
    else if (secret.isString())
        problem = Passwords::problem(secret.toString());
    if (!problem.isEmpty())
        return refuse(error, problem);
    UserChange change;
    change.password = secret.toString();
    if (!role.isUndefined())
        change.role = roleFromName(role.toString());
    if (disabled.isBool())
        change.disabled = disabled.toBool();
    return change;
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

std::optional<Buyer> buyer(const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue name = object.value(QLatin1String("name"));
    const QJsonValue email = object.value(QLatin1String("email"));
    if (!name.isString() || !email.isString())
        return refuse(
            error, QStringLiteral("Send {\"name\": the buyer's name, \"email\": their address}."));
    const Buyer buyer{name.toString().trimmed(), email.toString().trimmed()};
    if (QString problem = Buyer::nameProblem(buyer.name); !problem.isEmpty())
        return refuse(error, problem);
    if (QString problem = Buyer::emailProblem(buyer.email); !problem.isEmpty())
        return refuse(error, problem);
    return buyer;
}

std::optional<CheckIn> checkIn(const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue code = object.value(QLatin1String("code"));
    const QJsonValue event = object.value(QLatin1String("event"));
    // A scanner types what it read; spaces around it are the scanner's.
    const QString text = code.toString().trimmed();
    if (!code.isString() || text.isEmpty() || text.size() > 200)
        return refuse(error, QStringLiteral("Send {\"code\": the ticket's code}."));
    if (!event.isUndefined() && (!event.isString() || event.toString().size() > 100))
        return refuse(error, QStringLiteral("\"event\" must be the event's slug."));
    return CheckIn{text, event.toString()};
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

std::optional<NewUser> newUser(const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QString name = object.value(QLatin1String("name")).toString();
    if (const QString problem = Users::nameProblem(name); !problem.isEmpty())
        return refuse(error, problem);
    const auto fields = readUserFields(object, true, error);
    if (!fields)
        return std::nullopt;
    return NewUser{name, fields->password, *fields->role};
}

std::optional<UserChange> userChange(const QByteArray &body, QString *error)
{
    // Every field is optional, so a body that is not an object would read
    // as "change nothing" and be answered as if it had been applied.
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return refuse(error,
            QStringLiteral("Send a JSON object with any of \"role\", \"disabled\" and"
                           " \"password\"."));
    return readUserFields(document.object(), false, error);
}

std::optional<NewCredential> newCredential(const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    NewCredential credential;
    credential.name = object.value(QLatin1String("name")).toString();
    const auto purpose
        = Credentials::purposeFromName(object.value(QLatin1String("purpose")).toString());
    // toInt() would read "30", 1.5 and 1e10 as its default: a credential
    // living longer than was asked for. Absent means 90, anything else must
    // be a whole number of days.
    const QJsonValue days = object.value(QLatin1String("days"));
    credential.days = days.isUndefined() ? 90 : days.toInt(0);
    if (!Users::nameProblem(credential.name).isEmpty() || !purpose || credential.days < 1
        || credential.days > Credentials::MaxDays)
        return refuse(error,
            QStringLiteral("Send {\"name\": 1 to 64 letters, digits, '.', '_' or '-',"
                           " \"purpose\": \"payments\" or \"scanner\", \"days\": 1 to %1}.")
                .arg(Credentials::MaxDays));
    credential.purpose = *purpose;
    return credential;
}

std::optional<AuditPage> auditPage(const QString &queryText, QString *error)
{
    const QUrlQuery query(queryText);
    AuditPage page;
    bool ok = true;
    if (query.hasQueryItem(QStringLiteral("after")))
        page.after = query.queryItemValue(QStringLiteral("after")).toLongLong(&ok);
    if (ok && query.hasQueryItem(QStringLiteral("limit"))) {
        page.limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        ok = ok && page.limit >= 1 && page.limit <= AuditLog::MaxPage;
    }
    if (!ok || page.after < 0)
        return refuse(error,
            QStringLiteral("\"after\" is an entry id, \"limit\" 1 to %1.").arg(AuditLog::MaxPage));
    const auto text = [&](const QString &key) {
        return query.queryItemValue(key, QUrl::FullyDecoded).left(200);
    };
    page.filter.actor = text(QStringLiteral("actor"));
    page.filter.action = text(QStringLiteral("action"));
    page.filter.event = text(QStringLiteral("event"));
    for (const auto &[key, bound] : {std::pair{QStringLiteral("from"), &page.filter.from},
             std::pair{QStringLiteral("until"), &page.filter.until}}) {
        if (!query.hasQueryItem(key))
            continue;
        *bound = QDateTime::fromString(text(key), Qt::ISODate);
        // The entries' times are compared as isoUtc() text, which is empty
        // past the year 9999 in UTC ("9999-12-31T23:59:59-14:00").
        if (!bound->isValid() || isoUtc(*bound).isEmpty())
            return refuse(error,
                QStringLiteral("\"%1\" is an ISO-8601 time, e.g. 2026-12-01T00:00:00Z.").arg(key));
    }
    return page;
}

} // namespace Marquee::RequestBodies
