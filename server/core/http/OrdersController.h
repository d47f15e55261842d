#pragma once

#include "OrderService.h"
#include "Permissions.h"
#include "TicketDocuments.h"

#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>

namespace Marquee {

class ChannelHub;
class HttpReply;
class PaymentSetup;
class Router;
class Storage;
struct HttpRequest;

/// An order and its tickets (GET /api/v1/orders/{order}), and the staff's
/// refund and void.
class OrdersController
{
public:
    /// A clerk may refund orders of up to \a clerkRefundLimit (minor
    /// units); above it, a manager must.
    /// The order's secret link (PaymentSetup's OrderLinks) opens it too.
    OrdersController(Router &router, Storage &storage, ChannelHub &hub,
        const PaymentSetup &payments, qint64 clerkRefundLimit);

    /// How GET …/tickets.pdf is made; without one it answers 503.
    void setTicketRenderer(TicketPdfRenderer renderer) { m_renderer = std::move(renderer); }
    /// Told when a refund left a payment refund_due (PendingRefunds asks
    /// its provider for the money then).
    void setRefundDueObserver(std::function<void()> observer) { m_refundDue = std::move(observer); }

private:
    static constexpr int MaxPaintsWaiting = 4;
    using Change = std::function<OrderService::Outcome(
        const OrderService &, const QString &order, const Principal &who)>;

    /// GET /api/v1/orders/{order}
    void show(const HttpRequest &request, HttpReply reply);
    /// GET /api/v1/orders/{order}/tickets.pdf
    void pdf(const HttpRequest &request, HttpReply reply);
    /// Reads the order for whoever may see it, then \a answer gets it.
    void readOrder(const HttpRequest &request, HttpReply reply,
        std::function<void(HttpReply &, const OrderService::Order &)> answer);
    /// POST /api/v1/orders/{order}/refund
    void refund(const HttpRequest &request, HttpReply reply);
    /// POST /api/v1/orders/{order}/void
    void voidPending(const HttpRequest &request, HttpReply reply);

    /// Checks that the caller may do \a action, runs \a change on the
    /// storage thread, announces what it changed, then answers.
    void guarded(const HttpRequest &request, HttpReply reply, Permission action, Change change);
    void answerChange(
        HttpReply &reply, const QString &orderId, const OrderService::Outcome &outcome) const;

    Storage &m_storage;
    ChannelHub &m_hub;
    const PaymentSetup &m_payments;
    qint64 m_clerkRefundLimit;
    TicketPdfRenderer m_renderer;
    std::function<void()> m_refundDue;
    /// PDFs are painted here, one at a time, never on the socket thread: a
    /// long order takes a while, and nothing else may wait for it.
    QThreadPool m_painter;
    std::shared_ptr<std::atomic<int>> m_paintsWaiting = std::make_shared<std::atomic<int>>(0);
};

} // namespace Marquee
