#pragma once

#include "ApiTypes.h"
#include "CertificatePin.h"
#include "Clock.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QJsonDocument;

namespace Marquee {

/// The outcome of one API call: a value, or the error that explains why not.
template <typename T> struct ApiResult
{
    std::optional<T> value;
    ApiError error;

    bool ok() const { return value.has_value(); }
};

/// Talks to marquee-server's JSON API (server/API.md) for the counter.
/// Every call answers through a callback that is bound to a context object:
/// when the context is gone (the window closed, the event changed), the
/// answer is dropped instead of landing on a dead object.
class ApiClient : public QObject
{
    Q_OBJECT

public:
    template <typename T> using Callback = std::function<void(const ApiResult<T> &)>;
    struct Done
    {
    };

    explicit ApiClient(QObject *parent = nullptr);

    void setServer(const QUrl &server);
    QUrl server() const { return m_server; }
    /// A certificate trusted for this server although no authority vouches
    /// for it; any other that fails verification fails the call with
    /// ApiError::isUntrustedCertificate().
    void setPinnedCertificate(const CertificatePin &pin) { m_pin = pin; }
    const CertificatePin &pinnedCertificate() const { return m_pin; }
    bool hasStaffToken() const { return !m_session.token.isEmpty(); }
    /// The signed-in clerk, if any.
    const StaffSession &session() const { return m_session; }

    /// POST /api/v1/session; on success the session is this client's.
    void signIn(const QString &user, const QString &password, QObject *context,
        Callback<StaffSession> done);
    /// Ends the session on the server (DELETE /api/v1/session) and forgets it.
    void signOut();

    /// ws:// (or wss://) address of an event's channel on the same server.
    QUrl channelUrl(const QString &slug) const;

    void fetchEvents(QObject *context, Callback<QList<EventSummary>> done);
    void fetchEventDetails(const QString &slug, QObject *context, Callback<EventDetails> done);
    void fetchPlan(const QString &planPath, QObject *context, Callback<QByteArray> done);
    void createCart(QObject *context, Callback<Cart> done);
    void holdSeats(const Cart &cart, const QString &event, const QStringList &seats,
        QObject *context, Callback<Hold> done);
    void holdQuantity(const Cart &cart, const QString &event, int quantity, QObject *context,
        Callback<Hold> done);
    void releaseHold(const Cart &cart, const QString &hold, QObject *context, Callback<Done> done);
    /// One more hold time for \a hold; the value is the hold with its new
    /// expiry. ApiError::isRenewalLimit() once it was renewed as often as
    /// allowed, 404 once it is gone.
    void renewHold(const Cart &cart, const QString &hold, QObject *context, Callback<Hold> done);
    /// GET /api/v1/counter/events/{slug}/held with the staff token: of
    /// \a seats (at most 20), those someone holds, with when the hold ends.
    void fetchHeldUntil(const QString &event, const QStringList &seats, QObject *context,
        Callback<QHash<QString, QDateTime>> done);
    /// Sells every live hold of \a cart for cash, with the staff token.
    /// Sells exactly \a holds (the ones the clerk sees), or nothing.
    void sellCash(
        const Cart &cart, const QStringList &holds, QObject *context, Callback<SaleReceipt> done);
    /// GET /api/v1/audit with the staff token: up to \a limit entries
    /// (1 to 500; 0 for the server's default) after entry \a after that
    /// match \a filter. A role that may not read it gets a 403 error that
    /// says so.
    void fetchAudit(const AuditFilter &filter, qint64 after, int limit, QObject *context,
        Callback<AuditPage> done);

    /// POST /api/v1/checkin with the staff token: lets ticket \a code in at
    /// the door of \a event (empty: any event). The value is the server's
    /// verdict, a refusal included (already in, refunded, another event,
    /// unknown); an error only when there is none (no answer, a refused
    /// session, a server fault). Never retried here: whether a lost answer
    /// let the ticket in is for the door to weigh (see DoorSession).
    /// \a scanKey goes as the Idempotency-Key: one per scan, the same when
    /// the door tries that scan again, so a server that keeps keys answers
    /// a resent scan as it answered the first time.
    void checkIn(const QString &code, const QString &event, const QByteArray &scanKey,
        QObject *context, Callback<DoorVerdict> done);
    /// GET /api/v1/events/{slug}/checkins with the staff token.
    void fetchDoorCounts(const QString &event, QObject *context, Callback<DoorCounts> done);

    /// The terminal's clock; tests give a ManualClock (it must outlive us).
    void setClock(const Clock *clock) { m_clock = clock; }
    /// Now by the server's clock, as its answers' Date headers tell it:
    /// expiries it sends are counted down against this, so a terminal whose
    /// own clock is off still warns in time.
    QDateTime serverNow() const;

    /// How often a sale whose answer was lost is asked for again, and how
    /// long the first wait is (it grows with each attempt).
    static constexpr int SaleAttempts = 4;
    static constexpr int SaleRetryMs = 400;

    /// Our own words for an error the server reported by code, or empty.
    static QString describe(const ApiError &error);

signals:
    /// A staff call was refused because the session is over (signed out
    /// elsewhere, timed out, user disabled): the clerk must sign in again.
    void sessionEnded();
    /// Someone signed in (a new session, perhaps another user or role) or
    /// the session was signed out here.
    void sessionChanged();
    /// The server answered a call, whatever it said: it can be reached.
    void answered();

private:
    using RawCallback = std::function<void(int status, const QByteArray &body, const ApiError &)>;

    QUrl urlFor(const QString &path) const;
    void send(const QByteArray &verb, const QString &path, const QByteArray &body,
        const QString &bearer, QObject *context, RawCallback done,
        const QByteArray &idempotencyKey = {});
    void sendSale(const QByteArray &body, const QByteArray &key, int attempt, QObject *context,
        Callback<SaleReceipt> done);
    void sendJson(const QByteArray &verb, const QString &path, const QByteArray &body,
        const QString &bearer, QObject *context,
        std::function<void(const QJsonDocument &, const ApiError &)> done);
    static ApiError malformed();
    ApiError unreachable(QNetworkReply *reply) const;
    void learnServerTime(const QNetworkReply *reply);

    QNetworkAccessManager *m_network;
    QUrl m_server;
    StaffSession m_session;
    CertificatePin m_pin;
    SystemClock m_systemClock;
    const Clock *m_clock = &m_systemClock;
    qint64 m_serverOffsetMs = 0; ///< server time less ours
    bool m_knowsServerTime = false;
};

} // namespace Marquee
