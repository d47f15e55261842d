#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QPointer>
#include <QTcpSocket>
#include <QtHttpServer/QHttpServerResponder>
#include <memory>

namespace Marquee {

/// The answer to one HTTP request, which may be given later (after a storage
/// job) from any callback on the server's thread. Copies share one answer.
/// If the client has gone away meanwhile, sending does nothing: Qt 6.4's
/// responder would otherwise write to a deleted socket.
class HttpReply
{
public:
    HttpReply(QHttpServerResponder &&responder, QTcpSocket *socket);

    void json(int status, const QJsonValue &body);
    /// {"error": code, "message": message, ...extra}
    void error(int status, const QString &code, const QString &message, QJsonObject extra = {});
    void bytes(int status, const QByteArray &mimeType, const QByteArray &body,
        const QByteArray &cacheControl = QByteArrayLiteral("no-store"));
    void noContent();
    /// 503 for a failed storage job; the details go to the log, not the client.
    void storageFailed(const QString &error);

private:
    struct State
    {
        QHttpServerResponder responder;
        QPointer<QTcpSocket> socket;
        bool sent = false;
    };
    std::shared_ptr<State> m_state;
};

} // namespace Marquee
