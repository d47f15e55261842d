#include "HttpReply.h"

#include "Clock.h"
#include "Metrics.h"
#include "ResponseQueue.h"
#include "SecurityHeaders.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QtHttpServer/QHttpServerResponse>

namespace Marquee {

HttpReply::HttpReply(
    QHttpServerResponder &&responder, QTcpSocket *socket, Metrics *metrics, const Clock *clock)
    : m_state(std::make_shared<State>(State{std::move(responder), socket, false, {}, 0, {}, metrics,
        metrics ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point(),
        clock}))
{
    if (socket) {
        ResponseQueue *const queue = ResponseQueue::of(socket);
        m_state->place = queue->take();
        m_state->queue = queue;
    }
}

void HttpReply::bytes(
    int status, const QByteArray &mimeType, const QByteArray &body, const QByteArray &cacheControl)
{
    if (m_state->sent)
        return;
    m_state->sent = true;
    if (Metrics *const metrics = m_state->metrics) {
        metrics->countAnswer(status);
        metrics->requestLatency().observe(std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - m_state->arrived));
    }
    if (!m_state->socket || m_state->socket->state() != QAbstractSocket::ConnectedState)
        return;
    auto response = std::make_shared<QHttpServerResponse>(
        mimeType, body, QHttpServerResponder::StatusCode(status));
    withSecurityHeaders(*response, cacheControl);
    if (const ResponseQueue *queue = m_state->queue.data();
        queue && queue->closesAfter(m_state->place))
        response->setHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    for (const auto &[name, value] : std::as_const(m_state->headers))
        response->setHeader(name, value);
    if (const Clock *clock = m_state->clock)
        response->setHeader(QByteArrayLiteral("Date"), httpDate(clock->now()));
    const std::shared_ptr<State> state = m_state;
    const auto write = [state, response] {
        if (state->socket && state->socket->state() == QAbstractSocket::ConnectedState)
            response->write(std::move(state->responder));
    };
    if (ResponseQueue *const queue = state->queue.data())
        queue->answer(state->place, write);
    else
        write();
}

QByteArray HttpReply::httpDate(const QDateTime &time)
{
    // RFC 9110's IMF-fixdate, always in English and GMT.
    return QLocale::c()
        .toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

void HttpReply::withSecurityHeaders(QHttpServerResponse &response, const QByteArray &cacheControl)
{
    for (const SecurityHeaders::Header &header : SecurityHeaders::all())
        response.setHeader(header.first, header.second);
    response.setHeader(QByteArrayLiteral("Cache-Control"), cacheControl);
}

void HttpReply::json(int status, const QJsonValue &body)
{
    const QJsonDocument document
        = body.isArray() ? QJsonDocument(body.toArray()) : QJsonDocument(body.toObject());
    bytes(status, QByteArrayLiteral("application/json"), document.toJson(QJsonDocument::Compact));
}

void HttpReply::error(int status, const QString &code, const QString &message, QJsonObject extra)
{
    extra.insert(QStringLiteral("error"), code);
    extra.insert(QStringLiteral("message"), message);
    json(status, extra);
}

void HttpReply::noContent()
{
    bytes(204, QByteArrayLiteral("text/plain"), {});
}

void HttpReply::seeOther(const QString &location)
{
    m_state->headers.append({QByteArrayLiteral("Location"), location.toUtf8()});
    bytes(303, QByteArrayLiteral("text/plain"), {});
}

void HttpReply::storageFailed(const QString &error)
{
    qWarning("storage: %s", qPrintable(error));
    this->error(503, QStringLiteral("unavailable_storage"),
        QStringLiteral("The database could not answer; try again."));
}

void HttpReply::retryLater(
    int status, const QString &code, const QString &message, int seconds, QJsonObject extra)
{
    m_state->headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(seconds)});
    extra.insert(QStringLiteral("retryAfter"), seconds);
    error(status, code, message, std::move(extra));
}

} // namespace Marquee
