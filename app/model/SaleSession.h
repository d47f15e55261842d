#pragma once

#include "Protocol.h"
#include "net/ApiClient.h"

#include <QObject>
#include <QSet>
#include <optional>

namespace Marquee {

/// One customer's sale at the counter: it opens a cart on the first hold
/// (POST /api/v1/carts, once per sale), keeps the cart's token, adds holds,
/// and sells everything held for cash with the staff token. After a sale or
/// a cancel the next hold starts a fresh cart.
class SaleSession : public QObject
{
    Q_OBJECT

public:
    explicit SaleSession(ApiClient *api, QObject *parent = nullptr);

    /// Holds seats (request.seats) or a quantity (request.quantity).
    void hold(const Protocol::HoldRequest &request);
    /// Holds \a first (if any) and then sells all holds for cash.
    void sellCash(const std::optional<Protocol::HoldRequest> &first = std::nullopt);
    /// Releases every hold and forgets the cart.
    void cancel();

    bool isBusy() const { return m_busy; }
    const QList<Hold> &holds() const { return m_holds; }
    /// Seats this sale holds for \a event, to mark them on the map.
    QSet<QString> heldSeats(const QString &event) const;
    int heldQuantity(const QString &event) const;

signals:
    void busyChanged(bool busy);
    void holdsChanged();
    /// A hold added to the sale.
    void held(const Marquee::Hold &hold);
    /// The server refused part of a hold: error.seats / error.available say what.
    void holdRefused(const Marquee::ApiError &error);
    void sold(const Marquee::SaleReceipt &receipt);
    /// Anything else that went wrong, as a sentence for the clerk.
    void failed(const QString &message);
    /// Selling needs a staff token and none is set.
    void staffTokenMissing();

private:
    using Step = std::function<void()>;
    void withCart(Step next);
    void addHold(const Protocol::HoldRequest &request, Step next);
    void sellHolds();
    void setBusy(bool busy);
    void finish(const QString &failure = QString());
    void forgetCart();

    ApiClient *m_api;
    std::optional<Cart> m_cart;
    QList<Hold> m_holds;
    bool m_busy = false;
    bool m_retriedCart = false;
};

} // namespace Marquee
