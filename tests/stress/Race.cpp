#include "Race.h"

#include <QUuid>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSet>
#include <functional>

namespace Marquee::Test {

int RaceTally::answers() const
{
    return carts + holdsAttempted() + salesAttempted + releasesAttempted;
}

QString RaceTally::summary() const
{
    return QStringLiteral(
        "holds attempted %1 (seats %2, GA %3), granted %4 (seats %5, GA %6), refused %7"
        " (seats %8, GA %9); counter sales %10 of %11 (refused %12); releases %13 of %14;"
        " carts %15; failed requests %16; unexpected answers %17")
        .arg(holdsAttempted())
        .arg(seatHoldsAttempted)
        .arg(placeHoldsAttempted)
        .arg(holdsGranted())
        .arg(seatHoldsGranted)
        .arg(placeHoldsGranted)
        .arg(holdsRefused())
        .arg(seatHoldsRefused)
        .arg(placeHoldsRefused)
        .arg(salesMade)
        .arg(salesAttempted)
        .arg(salesRefused)
        .arg(releasesDone)
        .arg(releasesAttempted)
        .arg(carts)
        .arg(failedRequests)
        .arg(unexpected.size());
}

/// One customer: its own network manager (QNAM keeps at most six
/// connections per host, so 200 customers need 200 managers to be 200
/// concurrent clients), one request in flight at a time.
class RaceClient
{
public:
    RaceClient(Race &race, quint32 seed)
        : m_race(race)
        , m_random(seed)
    {
    }

    void start() { nextRound(); }

private:
    using Answer = std::function<void(int status, const QJsonObject &body, const QByteArray &raw)>;

    void nextRound()
    {
        if (m_round++ == m_race.m_plan.rounds)
            return finish();
        send("POST", QStringLiteral("/api/v1/carts"), {}, {},
            [this](int status, const QJsonObject &body, const QByteArray &raw) {
                if (status != 201)
                    return unexpected(QStringLiteral("new cart"), status, raw);
                ++m_race.m_tally.carts;
                m_cart = body.value(QLatin1String("cart")).toString();
                m_token = body.value(QLatin1String("token")).toString();
                hold();
            });
    }

    void hold()
    {
        const RacePlan &plan = m_race.m_plan;
        const bool seated = int(m_random.bounded(100)) >= plan.generalPercent;
        const int count = 1 + int(m_random.bounded(4));
        QJsonObject request;
        QStringList seats;
        if (seated) {
            QSet<qsizetype> picked;
            while (picked.size() < count)
                picked.insert(qsizetype(m_random.bounded(quint32(plan.seats.size()))));
            for (qsizetype index : std::as_const(picked))
                seats.append(plan.seats.at(index));
            request = {{QStringLiteral("event"), plan.seatedEvent},
                {QStringLiteral("seats"), QJsonArray::fromStringList(seats)}};
            ++m_race.m_tally.seatHoldsAttempted;
        } else {
            request = {
                {QStringLiteral("event"), plan.generalEvent}, {QStringLiteral("quantity"), count}};
            ++m_race.m_tally.placeHoldsAttempted;
        }
        send("POST", QStringLiteral("/api/v1/carts/%1/holds").arg(m_cart),
            QJsonDocument(request).toJson(QJsonDocument::Compact), m_token,
            [this, seated, seats, count](
                int status, const QJsonObject &body, const QByteArray &raw) {
                RaceTally &tally = m_race.m_tally;
                if (status == 409
                    && body.value(QLatin1String("error")).toString()
                        == QLatin1String("unavailable")) {
                    ++(seated ? tally.seatHoldsRefused : tally.placeHoldsRefused);
                    return nextRound();
                }
                if (status != 201)
                    return unexpected(QStringLiteral("hold"), status, raw);
                GrantedHold granted;
                granted.id = body.value(QLatin1String("hold")).toString();
                granted.cart = m_cart;
                granted.seated = seated;
                granted.grantedAt = m_race.now();
                granted.quantity = body.value(QLatin1String("quantity")).toInt();
                for (const QJsonValue &seat : body.value(QLatin1String("seats")).toArray())
                    granted.seats.append(seat.toString());
                QStringList asked = seats;
                asked.sort();
                QStringList got = granted.seats;
                got.sort();
                if (got != asked || granted.quantity != count || granted.id.isEmpty())
                    return unexpected(QStringLiteral("hold (other than asked)"), status, raw);
                ++(seated ? tally.seatHoldsGranted : tally.placeHoldsGranted);
                m_race.m_holds.append(granted);
                decide(int(m_race.m_holds.size()) - 1);
            });
    }

    void decide(int index)
    {
        const RacePlan &plan = m_race.m_plan;
        const int roll = int(m_random.bounded(100));
        if (roll < plan.sellPercent)
            return sell(index);
        if (roll < plan.sellPercent + plan.releasePercent)
            return release(index);
        nextRound();
    }

    void sell(int index)
    {
        ++m_race.m_tally.salesAttempted;
        const QJsonObject request{
            {QStringLiteral("cart"), m_cart}, {QStringLiteral("payment"), QStringLiteral("cash")}};
        send("POST", QStringLiteral("/api/v1/counter/sales"),
            QJsonDocument(request).toJson(QJsonDocument::Compact), m_race.m_plan.staffToken,
            QUuid::createUuid().toByteArray(QUuid::WithoutBraces),
            [this, index](int status, const QJsonObject &body, const QByteArray &raw) {
                if (status == 409) {
                    ++m_race.m_tally.salesRefused;
                    return nextRound();
                }
                if (status != 201)
                    return unexpected(QStringLiteral("counter sale"), status, raw);
                GrantedHold &hold = m_race.m_holds[index];
                hold.order = body.value(QLatin1String("order")).toString();
                QStringList seats;
                const QJsonArray tickets = body.value(QLatin1String("tickets")).toArray();
                for (const QJsonValue &ticket : tickets) {
                    const QString seat = ticket.toObject().value(QLatin1String("seat")).toString();
                    if (!seat.isEmpty())
                        seats.append(seat);
                }
                hold.tickets = int(tickets.size());
                seats.sort();
                QStringList held = hold.seats;
                held.sort();
                if (hold.order.isEmpty() || hold.tickets != hold.quantity || seats != held)
                    return unexpected(
                        QStringLiteral("counter sale (other than held)"), status, raw);
                ++m_race.m_tally.salesMade;
                nextRound();
            });
    }

    void release(int index)
    {
        ++m_race.m_tally.releasesAttempted;
        m_race.m_holds[index].releaseSentAt = m_race.now();
        send("DELETE",
            QStringLiteral("/api/v1/carts/%1/holds/%2").arg(m_cart, m_race.m_holds.at(index).id),
            {}, m_token, [this, index](int status, const QJsonObject &, const QByteArray &raw) {
                if (status != 204)
                    return unexpected(QStringLiteral("release"), status, raw);
                m_race.m_holds[index].released = true;
                ++m_race.m_tally.releasesDone;
                nextRound();
            });
    }

    void send(const QByteArray &verb, const QString &path, const QByteArray &body,
        const QString &token, Answer answer)
    {
        send(verb, path, body, token, {}, std::move(answer));
    }

    void send(const QByteArray &verb, const QString &path, const QByteArray &body,
        const QString &token, const QByteArray &idempotencyKey, Answer answer)
    {
        QNetworkRequest request(m_race.m_plan.base.resolved(QUrl(path)));
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        if (!idempotencyKey.isEmpty())
            request.setRawHeader("Idempotency-Key", idempotencyKey);
        // A server that stops answering fails the race instead of hanging it.
        request.setTransferTimeout(60'000);
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        QObject::connect(
            reply, &QNetworkReply::finished, &m_network, [this, reply, answer = std::move(answer)] {
                reply->deleteLater();
                const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
                const QByteArray raw = reply->readAll();
                // Errors below 200 are the transport's (refused, closed, timed
                // out); from 200 on QNAM only names an HTTP status.
                const bool transportFailed
                    = reply->error() != QNetworkReply::NoError && reply->error() < 200;
                if (!status.isValid() || transportFailed) {
                    // No answer at all: the server is gone (the crash test) or
                    // refused the connection. This customer stops here.
                    ++m_race.m_tally.failedRequests;
                    emit m_race.progress();
                    return finish();
                }
                answer(status.toInt(), QJsonDocument::fromJson(raw).object(), raw);
                emit m_race.progress();
            });
    }

    void unexpected(const QString &what, int status, const QByteArray &raw)
    {
        m_race.m_tally.unexpected.append(
            QStringLiteral("%1: %2 %3").arg(what).arg(status).arg(QString::fromUtf8(raw)));
        finish();
    }

    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        --m_race.m_running;
    }

    Race &m_race;
    QRandomGenerator m_random;
    QNetworkAccessManager m_network;
    int m_round = 0;
    bool m_done = false;
    QString m_cart;
    QString m_token;
};

Race::Race(RacePlan plan, QObject *parent)
    : QObject(parent)
    , m_plan(std::move(plan))
{
}

Race::~Race() = default;

void Race::start()
{
    m_clock.start();
    m_started = true;
    m_running = m_plan.clients;
    for (int i = 0; i < m_plan.clients; ++i)
        m_clients.push_back(std::make_unique<RaceClient>(*this, m_plan.seed * 7919u + quint32(i)));
    // Every customer's first request goes out before any answer is read.
    for (const auto &client : m_clients)
        client->start();
}

} // namespace Marquee::Test
