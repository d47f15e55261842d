#pragma once

#include "MailMessage.h"
#include "OrderService.h"
#include "TicketDocuments.h"

#include <QObject>
#include <QThreadPool>
#include <QUrl>
#include <memory>

namespace Marquee {

class PaymentSetup;
class SmtpMailer;
class Storage;

/// The order confirmation: when an online order is paid, its buyer gets an
/// e-mail with the order's secret link and the tickets as a PDF. The PDF is
/// painted on a pool thread and the mail sent on the mailer's own, so the
/// server's thread never waits for either.
class OrderMail : public QObject
{
    Q_OBJECT

public:
    /// \a server is the --smtp URL; \a from the sender ("Name <address>").
    OrderMail(QUrl server, QString from, Storage &storage, const PaymentSetup &payments,
        QObject *parent = nullptr);
    ~OrderMail() override;

    void setCredentials(const QString &user, const QString &password);
    void setRenderer(TicketPdfRenderer renderer) { m_renderer = std::move(renderer); }

    /// Reads the order and sends its confirmation.
    void orderPaid(const QString &order);

    /// The mail for \a order, without the PDF (public for tests).
    MailMessage compose(const OrderService::Order &order, const QString &link) const;

signals:
    void sent(const QString &order);
    void failed(const QString &order, const QString &error);

private:
    void send(const OrderService::Order &order);
    /// On the mailer's thread: hands the finished message over.
    void enqueue(const MailMessage &message, const QString &order);

    Storage &m_storage;
    const PaymentSetup &m_payments;
    QString m_from;
    TicketPdfRenderer m_renderer;
    std::unique_ptr<SmtpMailer> m_mailer;
    QHash<quint64, QString> m_orders; ///< mail id → order
    /// Paints the PDFs; waited for before the mailer goes.
    QThreadPool m_painter;
};

} // namespace Marquee
