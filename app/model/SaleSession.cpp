#include "SaleSession.h"

#include <algorithm>

namespace Marquee {

SaleSession::SaleSession(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
}

QSet<QString> SaleSession::heldSeats(const QString &event) const
{
    QSet<QString> seats;
    for (const Hold &hold : m_holds) {
        if (hold.event == event) {
            for (const QString &seat : hold.seats)
                seats.insert(seat);
        }
    }
    return seats;
}

int SaleSession::heldQuantity(const QString &event) const
{
    int quantity = 0;
    for (const Hold &hold : m_holds) {
        if (hold.event == event)
            quantity += hold.quantity;
    }
    return quantity;
}

void SaleSession::hold(const Protocol::HoldRequest &request)
{
    if (m_busy)
        return;
    setBusy(true);
    m_retriedCart = false;
    withCart([this, request] { addHold(request, [this] { finish(); }); });
}

void SaleSession::sellCash(const std::optional<Protocol::HoldRequest> &first)
{
    if (m_busy)
        return;
    // Ask for a sign-in before holding anything, so the clerk is not left
    // with held seats and no way to sell them.
    if (!m_api->hasStaffToken()) {
        emit staffTokenMissing();
        return;
    }
    if (!first && m_holds.isEmpty() && m_lapsed.isEmpty()) {
        emit failed(tr("Nothing to sell yet: pick seats or a quantity first."), false);
        return;
    }
    setBusy(true);
    m_retriedCart = false;
    // What the panel lists is what sells: lapsed holds are held again
    // first, and a seat taken meanwhile stops the sale before money moves.
    Step sell = [this] { holdLapsed(true, [this] { sellHolds(); }); };
    if (first)
        withCart([this, request = *first, sell] { addHold(request, sell); });
    else
        sell();
}

void SaleSession::cancel()
{
    if (m_busy)
        return;
    const bool hadLapsed = !m_lapsed.isEmpty();
    m_lapsed.clear();
    if (!m_cart || m_holds.isEmpty()) {
        forgetCart();
        if (hadLapsed)
            emit holdsChanged();
        return;
    }
    // Releasing early gives the seats back to everyone now instead of when
    // the hold expires; failures only mean the server already let them go.
    const Cart cart = *m_cart;
    for (const Hold &hold : std::as_const(m_holds))
        m_api->releaseHold(cart, hold.id, this, [](const ApiResult<ApiClient::Done> &) {});
    forgetCart();
}

void SaleSession::keep()
{
    if (m_busy || (m_holds.isEmpty() && m_lapsed.isEmpty()))
        return;
    setBusy(true);
    m_retriedCart = false;
    QStringList renewable;
    for (const Hold &hold : std::as_const(m_holds)) {
        if (hold.renewalsLeft != 0)
            renewable.append(hold.id);
    }
    m_taken.clear();
    m_takenPlaces = 0;
    renewAll(renewable, [this] {
        holdLapsed(false, [this] {
            finish();
            if (!m_taken.isEmpty() || m_takenPlaces > 0)
                emit takenMeanwhile(m_taken, m_takenPlaces);
        });
    });
}

void SaleSession::lapse(const QStringList &ids)
{
    bool changed = false;
    for (qsizetype i = m_holds.size() - 1; i >= 0; --i) {
        if (ids.contains(m_holds.at(i).id)) {
            m_lapsed.prepend(m_holds.takeAt(i));
            changed = true;
        }
    }
    if (changed)
        emit holdsChanged();
}

void SaleSession::renewAll(QStringList ids, Step next)
{
    if (ids.isEmpty() || !m_cart) {
        next();
        return;
    }
    const QString id = ids.takeFirst();
    m_api->renewHold(*m_cart, id, this,
        [this, id, ids = std::move(ids), next = std::move(next)](const ApiResult<Hold> &result) {
            const auto at = std::find_if(
                m_holds.begin(), m_holds.end(), [&id](const Hold &hold) { return hold.id == id; });
            if (result.ok() && at != m_holds.end()) {
                *at = *result.value;
                emit renewed(*at);
                emit holdsChanged();
            } else if (result.error.isRenewalLimit() && at != m_holds.end()) {
                at->renewalsLeft = 0;
                emit holdsChanged();
            } else if (result.error.status == 404 || result.error.status == 401) {
                lapse({id}); // gone on the server: its seats stay listed
            } else if (!result.ok()) {
                fail(result.error);
                return;
            }
            renewAll(ids, next);
        });
}

void SaleSession::holdLapsed(bool strict, Step next)
{
    if (m_lapsed.isEmpty()) {
        next();
        return;
    }
    const Hold old = m_lapsed.constFirst();
    Protocol::HoldRequest request;
    request.event = old.event;
    request.seats = old.seats;
    request.quantity = old.seats.isEmpty() ? old.quantity : 0;
    auto again = [this, strict, next] { holdLapsed(strict, next); };
    auto refused = [this, strict, next, id = old.id](const ApiError &error) {
        const auto lapsed = std::find_if(
            m_lapsed.begin(), m_lapsed.end(), [&id](const Hold &hold) { return hold.id == id; });
        if (lapsed == m_lapsed.end()) {
            finish();
            return;
        }
        // The taken seats leave the list; what is still free of the hold
        // is tried again (by a sale: when the clerk, told, presses again).
        QStringList taken = error.seats;
        int places = 0;
        for (const QString &seat : error.seats)
            lapsed->seats.removeAll(seat);
        if (error.seats.isEmpty())
            places = lapsed->quantity;
        if (lapsed->seats.isEmpty() || error.seats.isEmpty())
            m_lapsed.erase(lapsed);
        emit holdsChanged();
        if (strict) {
            if (places > 0)
                taken.append(tr("%n place(s)", nullptr, places));
            finish(tr("Taken meanwhile: %1. Nothing was sold; press Sell again to sell the rest.")
                       .arg(taken.join(QStringLiteral(", "))));
            return;
        }
        m_taken.append(error.seats);
        m_takenPlaces += places;
        holdLapsed(strict, next);
    };
    withCart(
        [this, request, again, refused, id = old.id] { addHold(request, again, refused, id); });
}

void SaleSession::withCart(Step next)
{
    if (m_cart) {
        next();
        return;
    }
    m_api->createCart(this, [this, next = std::move(next)](const ApiResult<Cart> &result) {
        if (!result.ok()) {
            fail(result.error);
            return;
        }
        m_cart = *result.value;
        next();
    });
}

void SaleSession::addHold(
    const Protocol::HoldRequest &request, Step next, Refused refused, const QString &replaces)
{
    auto answer = [this, request, next, refused, replaces](const ApiResult<Hold> &result) {
        if (result.ok()) {
            m_holds.append(*result.value);
            settleLapsed(*result.value, replaces);
            if (replaces.isEmpty())
                emit held(*result.value);
            else
                emit heldAgain(*result.value);
            emit holdsChanged();
            next();
            return;
        }
        const ApiError &error = result.error;
        if (error.status == 401 && !m_retriedCart) {
            // The cart's token is no longer good (the cart expired, the
            // server forgot it): its holds are gone too, but their seats
            // stay listed as lapsed. Start over with a fresh cart, once.
            m_retriedCart = true;
            QStringList all;
            for (const Hold &hold : std::as_const(m_holds))
                all.append(hold.id);
            lapse(all);
            m_cart.reset();
            withCart([this, request, next, refused, replaces] {
                addHold(request, next, refused, replaces);
            });
            return;
        }
        if (error.isUnavailable() && refused) {
            refused(error);
            return;
        }
        if (error.isUnavailable()) {
            emit holdRefused(error);
            finish();
            return;
        }
        fail(error);
    };
    if (request.seats.isEmpty())
        m_api->holdQuantity(*m_cart, request.event, request.quantity, this, answer);
    else
        m_api->holdSeats(*m_cart, request.event, request.seats, this, answer);
}

void SaleSession::settleLapsed(const Hold &hold, const QString &replaces)
{
    for (qsizetype i = m_lapsed.size() - 1; i >= 0; --i) {
        Hold &lapsed = m_lapsed[i];
        if (lapsed.id == replaces) {
            m_lapsed.removeAt(i);
            continue;
        }
        if (lapsed.event != hold.event || lapsed.seats.isEmpty())
            continue;
        for (const QString &seat : hold.seats)
            lapsed.seats.removeAll(seat);
        if (lapsed.seats.isEmpty())
            m_lapsed.removeAt(i);
    }
}

void SaleSession::sellHolds()
{
    QStringList ids;
    for (const Hold &hold : std::as_const(m_holds))
        ids.append(hold.id);
    m_api->sellCash(*m_cart, ids, this, [this](const ApiResult<SaleReceipt> &result) {
        m_saleUnsure = result.error.isUnreachable() || result.error.status == 503;
        if (result.ok()) {
            m_lapsed.clear();
            forgetCart();
            finish();
            emit sold(*result.value);
            return;
        }
        const ApiError &error = result.error;
        if (error.status == 401) {
            // The window asks for a new sign-in; the holds stay for the retry.
            finish(tr("Your session has ended. Sign in again, then press Sell."));
            return;
        }
        if (error.status == 403) {
            fail(error);
            return;
        }
        if (error.isHoldLost()) {
            // Nothing was sold. The holds that ran out stay listed as
            // lapsed; Sell or More time holds their seats again.
            lapse(error.holds);
            finish(tr("Part of this sale ran out before it was paid, so nothing was sold. "
                      "Press Sell again to hold those seats again and sell."));
            return;
        }
        if (error.status == 409 && lapseExpired()) {
            // Nothing live left to sell: the holds ran out while the customer
            // was deciding. Their seats stay listed, to be held again.
            finish(tr("The holds of this sale have expired. Press Sell again to hold the seats "
                      "again and sell."));
            return;
        }
        if (m_saleUnsure) {
            // It may have gone through: the notice stays until the clerk
            // presses Sell again, which asks under the same key.
            finish(error.message + u' '
                + tr("The sale may have gone through: press Sell again to find out; it will "
                     "not be sold twice."));
            return;
        }
        fail(error);
    });
}

bool SaleSession::lapseExpired()
{
    const QDateTime now = m_api->serverNow();
    QStringList expired;
    for (const Hold &hold : std::as_const(m_holds)) {
        if (hold.expiresAt <= now)
            expired.append(hold.id);
    }
    lapse(expired);
    if (m_holds.isEmpty())
        m_cart.reset();
    return !expired.isEmpty();
}

void SaleSession::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void SaleSession::finish(const QString &failure, bool unreachable)
{
    setBusy(false);
    if (!failure.isEmpty())
        emit failed(failure, unreachable);
}

void SaleSession::forgetCart()
{
    m_cart.reset();
    if (!m_holds.isEmpty()) {
        m_holds.clear();
        emit holdsChanged();
    }
}

} // namespace Marquee
