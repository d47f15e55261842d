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
///
/// A hold that runs out is not forgotten: it stays in the sale as lapsed,
/// so the clerk need not remember its seats. keep() (and a sale) holds them
/// again if they are still free; keep() also renews the live holds.
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
    /// "More time": renews every live hold that may still be renewed, and
    /// holds the seats of lapsed holds again where they are still free.
    void keep();
    /// Moves the holds \a ids out of the sale's live holds into lapsed():
    /// their time is up (see HoldCountdown), or the server said so.
    void lapse(const QStringList &ids);

    bool isBusy() const { return m_busy; }
    /// A sale was sent and no answer came: it may have gone through. Its
    /// holds are not lapsed meanwhile, so Sell asks again under the same
    /// key and the server says how the first one ended.
    bool isSaleUnsure() const { return m_saleUnsure; }
    const QList<Hold> &holds() const { return m_holds; }
    /// Holds of this sale that ran out, with the seats they had.
    const QList<Hold> &lapsed() const { return m_lapsed; }
    /// Seats this sale holds for \a event, to mark them on the map.
    QSet<QString> heldSeats(const QString &event) const;
    int heldQuantity(const QString &event) const;

signals:
    void busyChanged(bool busy);
    void holdsChanged();
    /// A hold added to the sale.
    void held(const Marquee::Hold &hold);
    /// A lapsed hold held again (its seats as far as still free).
    void heldAgain(const Marquee::Hold &hold);
    /// A hold given more time; hold.expiresAt is the new end.
    void renewed(const Marquee::Hold &hold);
    /// The server refused part of a hold: error.seats / error.available say what.
    void holdRefused(const Marquee::ApiError &error);
    /// keep() held lapsed holds again, all but \a seats (or \a places of
    /// general admission), which others took meanwhile.
    void takenMeanwhile(const QStringList &seats, int places);
    void sold(const Marquee::SaleReceipt &receipt);
    /// Anything else that went wrong, as a sentence for the clerk;
    /// \a unreachable when the server did not answer at all.
    void failed(const QString &message, bool unreachable);
    /// Selling needs a staff token and none is set.
    void staffTokenMissing();

private:
    using Step = std::function<void()>;
    using Refused = std::function<void(const ApiError &)>;
    void withCart(Step next);
    /// \a refused is told when the seats or places are not free; by
    /// default the clerk hears it and the steps end.
    void addHold(const Protocol::HoldRequest &request, Step next, Refused refused = {},
        const QString &replaces = {});
    /// A new hold's seats leave the lapsed holds (a clerk may pick a lapsed
    /// seat again by hand), and the lapsed hold it \a replaces goes.
    void settleLapsed(const Hold &hold, const QString &replaces);
    void renewAll(QStringList ids, Step next);
    /// Holds the first lapsed hold again, then the others; with \a strict
    /// (a sale) a seat taken meanwhile ends the steps, else it is dropped
    /// and named, and the rest goes on.
    void holdLapsed(bool strict, Step next);
    void sellHolds();
    /// Lapses the holds whose time is up by the server's clock; whether any.
    bool lapseExpired();
    void setBusy(bool busy);
    void finish(const QString &failure = QString(), bool unreachable = false);
    void fail(const ApiError &error) { finish(error.message, error.isUnreachable()); }
    void forgetCart();

    ApiClient *m_api;
    std::optional<Cart> m_cart;
    QList<Hold> m_holds;
    QList<Hold> m_lapsed;
    QStringList m_taken; ///< seats of lapsed holds others took, during keep()
    int m_takenPlaces = 0; ///< likewise, general-admission places
    bool m_busy = false;
    bool m_saleUnsure = false;
    bool m_retriedCart = false;
};

} // namespace Marquee
