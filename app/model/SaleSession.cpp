#include "SaleSession.h"

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
    if (!first && m_holds.isEmpty()) {
        emit failed(tr("Nothing to sell yet: pick seats or a quantity first."));
        return;
    }
    setBusy(true);
    m_retriedCart = false;
    if (first)
        withCart([this, request = *first] { addHold(request, [this] { sellHolds(); }); });
    else
        sellHolds();
}

void SaleSession::cancel()
{
    if (m_busy)
        return;
    if (!m_cart || m_holds.isEmpty()) {
        forgetCart();
        return;
    }
    // Releasing early gives the seats back to everyone now instead of when
    // the hold expires; failures only mean the server already let them go.
    const Cart cart = *m_cart;
    for (const Hold &hold : std::as_const(m_holds))
        m_api->releaseHold(cart, hold.id, this, [](const ApiResult<ApiClient::Done> &) {});
    forgetCart();
}

void SaleSession::withCart(Step next)
{
    if (m_cart) {
        next();
        return;
    }
    m_api->createCart(this, [this, next = std::move(next)](const ApiResult<Cart> &result) {
        if (!result.ok()) {
            finish(result.error.message);
            return;
        }
        m_cart = *result.value;
        next();
    });
}

void SaleSession::addHold(const Protocol::HoldRequest &request, Step next)
{
    auto answer = [this, request, next](const ApiResult<Hold> &result) {
        if (result.ok()) {
            m_holds.append(*result.value);
            emit held(*result.value);
            emit holdsChanged();
            next();
            return;
        }
        const ApiError &error = result.error;
        if ((error.status == 404 || error.status == 401) && !m_retriedCart) {
            // The cart expired or the server forgot it (restart, cleanup):
            // its holds are gone too, so start over with a fresh cart once.
            m_retriedCart = true;
            forgetCart();
            withCart([this, request, next] { addHold(request, next); });
            return;
        }
        if (error.isUnavailable()) {
            emit holdRefused(error);
            finish();
            return;
        }
        finish(error.message);
    };
    if (request.seats.isEmpty())
        m_api->holdQuantity(*m_cart, request.event, request.quantity, this, answer);
    else
        m_api->holdSeats(*m_cart, request.event, request.seats, this, answer);
}

void SaleSession::sellHolds()
{
    QStringList ids;
    for (const Hold &hold : std::as_const(m_holds))
        ids.append(hold.id);
    m_api->sellCash(*m_cart, ids, this, [this](const ApiResult<SaleReceipt> &result) {
        if (result.ok()) {
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
            finish(error.message);
            return;
        }
        if (error.isHoldLost()) {
            // Nothing was sold. The holds that ran out leave the sale; the
            // others stay, so the clerk can hold the missing seats again.
            const qsizetype before = m_holds.size();
            m_holds.removeIf([&error](const Hold &hold) { return error.holds.contains(hold.id); });
            if (m_holds.size() != before)
                emit holdsChanged();
            finish(tr("Part of this sale ran out before it was paid, so nothing was sold. "
                      "Hold the missing seats again, then sell."));
            return;
        }
        if (error.status == 409) {
            // Nothing live left to sell: the holds ran out while the customer
            // was deciding. The map already shows the seats as free again.
            forgetCart();
            finish(tr("The holds of this sale have expired. Pick the seats again."));
            return;
        }
        finish(error.message);
    });
}

void SaleSession::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void SaleSession::finish(const QString &failure)
{
    setBusy(false);
    if (!failure.isEmpty())
        emit failed(failure);
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
