#include "TestPaymentPage.h"

#include "Clock.h"
#include "HttpReply.h"
#include "Money.h"
#include "PaymentSetup.h"
#include "Router.h"
#include "Storage.h"
#include "TestProvider.h"
#include "WebhooksController.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

namespace Marquee {

namespace {

using Summary = std::optional<PaymentService::Summary>;

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString keyOf(const HttpRequest &request)
{
    return QUrlQuery(request.raw.url()).queryItemValue(QStringLiteral("key"));
}

} // namespace

TestPaymentPage::TestPaymentPage(Router &router, Storage &storage, WebhooksController &webhooks,
    const PaymentSetup &payments, const Clock &clock)
    : m_storage(storage)
    , m_webhooks(webhooks)
    , m_payments(payments)
    , m_clock(clock)
{
    using Method = QHttpServerRequest::Method;
    router.add(Method::Get, QStringLiteral("/pay/test/{}"),
        [this](const HttpRequest &request, HttpReply reply) { show(request, std::move(reply)); });
    router.add(Method::Post, QStringLiteral("/pay/test/{}"),
        [this](const HttpRequest &request, HttpReply reply) { decide(request, std::move(reply)); });
}

void TestPaymentPage::show(const HttpRequest &request, HttpReply reply)
{
    const QString payment = request.args.at(0);
    const QString key = keyOf(request);
    if (!m_payments.testProvider().pageKeyMatches(payment, key))
        return reply.error(404, QStringLiteral("not_found"), tr("No such payment."));
    m_storage.run<Summary>(
        [payment](StorageSession &s) { return PaymentService(s.db, s.clock).summary(payment); },
        [this, reply, key](std::optional<Summary> summary, const QString &error) mutable {
            if (!summary)
                return reply.storageFailed(error);
            if (!*summary)
                return reply.error(404, QStringLiteral("not_found"), tr("No such payment."));
            reply.bytes(200, QByteArrayLiteral("text/html; charset=utf-8"), page(**summary, key));
        });
}

QByteArray TestPaymentPage::page(const PaymentService::Summary &summary, const QString &key) const
{
    const PaymentService::Payment &p = summary.payment;
    const QString amount = Money{p.amount, p.currency}.toString();
    QString items;
    for (const QString &line : summary.lines)
        items += QStringLiteral("<li>") + escaped(line) + QStringLiteral("</li>");
    const bool open = summary.state == QLatin1String("pending");
    const QString action = QStringLiteral("/pay/test/%1?key=%2").arg(escaped(p.id), escaped(key));
    const QString buttons = open
        ? QStringLiteral("<form method=\"post\" action=\"%1\" class=\"decide\">"
                         "<button name=\"decision\" value=\"pay\" class=\"pay\">%2</button>"
                         "<button name=\"decision\" value=\"decline\" class=\"decline\">%3</button>"
                         "</form>")
              .arg(action, tr("Pay %1").arg(escaped(amount)), tr("Decline"))
        : QStringLiteral("<p class=\"state\">%1</p>")
              .arg(tr("This payment is %1.").arg(escaped(summary.state)));
    const QString html
        = QStringLiteral("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                         "<title>%1</title><link rel=\"stylesheet\" href=\"/pay.css\"></head><body>"
                         "<main class=\"card\"><p class=\"brand\">%2</p><h1>%3</h1>"
                         "<p class=\"amount\">%4</p><ul class=\"items\">%5</ul>"
                         "<p class=\"who\">%6</p>%7<p class=\"note\">%8</p></main></body></html>")
              .arg(tr("Test payment"), tr("Marquee test payments"), tr("Pay for your tickets"),
                  escaped(amount), items,
                  escaped(tr("Order %1 for %2").arg(p.order, summary.buyerName)), buttons,
                  tr("This is the built-in test provider: no card is asked for and"
                     " no money moves."));
    return html.toUtf8();
}

void TestPaymentPage::decide(const HttpRequest &request, HttpReply reply)
{
    const QString payment = request.args.at(0);
    const QUrlQuery form(QString::fromUtf8(request.raw.body()));
    const QString key = keyOf(request);
    const QString decision = form.queryItemValue(QStringLiteral("decision"));
    if (!m_payments.testProvider().pageKeyMatches(payment, key))
        return reply.error(404, QStringLiteral("not_found"), tr("No such payment."));
    if (decision != QLatin1String("pay") && decision != QLatin1String("decline"))
        return reply.error(400, QStringLiteral("bad_request"), tr("Press Pay or Decline."));
    const QString address = request.client.toString();
    m_storage.run<Summary>(
        [payment](StorageSession &s) { return PaymentService(s.db, s.clock).summary(payment); },
        [this, reply, decision, address](
            std::optional<Summary> summary, const QString &error) mutable {
            if (!summary)
                return reply.storageFailed(error);
            if (!*summary)
                return reply.error(404, QStringLiteral("not_found"), tr("No such payment."));
            const PaymentService::Payment p = (*summary)->payment;
            // A settled payment's page would hand out the order link again:
            // fine for a double click on Pay, not for whoever finds the
            // page's URL in a log later. After the payment window only a
            // pending payment (a late one) may still be acted on.
            if ((*summary)->state != QLatin1String("pending") && m_clock.now() > p.expiresAt)
                return reply.error(
                    410, QStringLiteral("gone"), tr("This payment link has expired."));
            const auto kind = decision == QLatin1String("pay") ? ProviderEvent::Kind::Succeeded
                                                               : ProviderEvent::Kind::Failed;
            const TestProvider::SignedReport report
                = m_payments.testProvider().report(kind, p.id, p.amount, p.currency, m_clock.now());
            m_webhooks.deliver(QStringLiteral("test"), report.signature, report.body, address,
                [this, reply, order = p.order](const WebhooksController::Answer &answer) mutable {
                    reply.seeOther(nextPage(order, answer.status, answer.body));
                });
        });
}

QString TestPaymentPage::nextPage(const QString &order, int status, const QJsonObject &answer) const
{
    const QString result = answer.value(QLatin1String("result")).toString();
    if (status != 200 || result == QLatin1String("declined"))
        return QStringLiteral("/?payment=")
            + (status == 200 ? QStringLiteral("declined") : QStringLiteral("failed"));
    QString query = QStringLiteral("outcome=") + result;
    if (answer.value(QLatin1String("retaken")).toBool())
        query = QStringLiteral("outcome=retaken");
    if (answer.value(QLatin1String("reason")).toString() == QLatin1String("too_late"))
        query = QStringLiteral("outcome=too_late");
    QStringList seats;
    for (const QJsonValue &seat : answer.value(QLatin1String("seats")).toArray())
        seats.append(seat.toString());
    if (!seats.isEmpty())
        query += QStringLiteral("&seats=")
            + QString::fromLatin1(QUrl::toPercentEncoding(seats.join(u',')));
    return m_payments.links().path(order, query);
}

} // namespace Marquee
