#include "OrderMail.h"

#include "Money.h"
#include "PaymentSetup.h"
#include "SmtpMailer.h"
#include "Storage.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <QTimeZone>

namespace Marquee {

namespace {

/// "Mon 21 Dec 2026, 19:30 CET" in the venue's zone, as on the ticket.
QString localTime(const SaleService::Ticket::Details &d)
{
    const QTimeZone zone(d.timeZone.toUtf8());
    const QDateTime local = zone.isValid() ? d.startsAt.toTimeZone(zone) : d.startsAt.toUTC();
    return QLocale(QLocale::English).toString(local, QStringLiteral("ddd d MMM yyyy, HH:mm")) + u' '
        + local.timeZoneAbbreviation();
}

} // namespace

OrderMail::OrderMail(
    QUrl server, QString from, Storage &storage, const PaymentSetup &payments, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_payments(payments)
    , m_from(std::move(from))
    , m_mailer(std::make_unique<SmtpMailer>(std::move(server)))
{
    m_painter.setMaxThreadCount(1);
    connect(m_mailer.get(), &SmtpMailer::sent, this, [this](quint64 id) {
        const QString order = m_orders.take(id);
        qInfo("mail: the confirmation of %s was accepted", qPrintable(order));
        emit sent(order);
    });
    connect(m_mailer.get(), &SmtpMailer::failed, this, [this](quint64 id, const QString &error) {
        const QString order = m_orders.take(id);
        qWarning(
            "mail: the confirmation of %s was not sent: %s", qPrintable(order), qPrintable(error));
        emit failed(order, error);
    });
}

OrderMail::~OrderMail()
{
    // A PDF being painted posts to this object when done: wait for it, so
    // nothing is posted to an object that is gone (posted events for a
    // deleted object are dropped).
    m_painter.waitForDone();
}

void OrderMail::setCredentials(const QString &user, const QString &password)
{
    m_mailer->setCredentials(user, password);
}

void OrderMail::orderPaid(const QString &order)
{
    m_storage.run<std::optional<OrderService::Order>>(
        [order](StorageSession &s) { return OrderService(s.db, s.clock).find(order); },
        [this](std::optional<std::optional<OrderService::Order>> found, const QString &error) {
            if (!found || !*found || (*found)->buyerEmail.isEmpty()) {
                if (!found)
                    qWarning("mail: the order could not be read: %s", qPrintable(error));
                return;
            }
            send(**found);
        });
}

void OrderMail::send(const OrderService::Order &order)
{
    MailMessage message = compose(order, m_payments.orderUrl(order.id));
    m_painter.start([this, message, order, renderer = m_renderer]() mutable {
        // Painting a PDF takes tens of milliseconds: not on the server's thread.
        if (renderer) {
            const QList<TicketView> views = ticketViews(order);
            if (!views.isEmpty())
                message.attachments.append(
                    {ticketFileName(order), QByteArrayLiteral("application/pdf"),
                        renderer(views, tr("Tickets, order %1").arg(order.id))});
        }
        // Back to the thread the mailer lives in.
        QMetaObject::invokeMethod(
            this, [this, message, id = order.id] { enqueue(message, id); }, Qt::QueuedConnection);
    });
}

void OrderMail::enqueue(const MailMessage &message, const QString &order)
{
    SmtpMailer &mailer = *m_mailer;
    m_orders.insert(mailer.send(message), order);
}

MailMessage OrderMail::compose(const OrderService::Order &order, const QString &link) const
{
    MailMessage message;
    message.from = m_from;
    message.to = order.buyerName.isEmpty()
        ? order.buyerEmail
        : QStringLiteral("%1 <%2>").arg(order.buyerName, order.buyerEmail);
    QString firstEvent;
    QString lines;
    for (const SaleService::Ticket &ticket : order.tickets) {
        if (!ticket.details)
            continue;
        if (firstEvent.isEmpty())
            firstEvent = ticket.details->eventName;
        const QString where
            = ticket.seat.isEmpty() ? tr("general admission") : tr("seat %1").arg(ticket.seat);
        lines += QStringLiteral("  • %1, %2, %3 (%4) — %5\n")
                     .arg(ticket.details->eventName, localTime(*ticket.details), where,
                         ticket.details->categoryName,
                         Money{ticket.price, order.currency}.toString());
    }
    message.subject = tr("Your tickets for %1").arg(firstEvent);
    message.text = tr("Hello %1,\n\nthank you for your order %2. Your tickets:\n\n%3\n"
                      "Total paid: %4\n\n"
                      "The tickets are attached as a PDF. You can also open them at any time"
                      " with this private link (keep it to yourself: it opens your tickets):\n"
                      "%5\n\n"
                      "At the door, show each ticket's QR code, printed or on your phone.\n")
                       .arg(order.buyerName, order.id, lines,
                           Money{order.total, order.currency}.toString(), link);
    return message;
}

} // namespace Marquee
