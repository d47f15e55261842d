#pragma once

#include "ChangeNotice.h"
#include "DatabaseConfig.h"

#include <QObject>
#include <QThread>
#include <memory>

namespace Marquee {

/// How the LISTEN connection is watched and brought back.
struct ListenTiming
{
    int probeMs = 2'000;
    int firstRetryMs = 250;
    int maxRetryMs = 5'000;
};

/// LISTENs for the change notices of every server on the same PostgreSQL,
/// with a connection and a thread of its own: notices arrive while the
/// storage thread is busy, and a slow job never delays them. The connection
/// is probed; when it is lost (the database restarted) it reconnects with
/// backoff, LISTENs again and says so, because whatever was committed
/// meanwhile was not heard and must be read again.
class NoticeListener : public QObject
{
    Q_OBJECT

public:
    explicit NoticeListener(
        DatabaseConfig config, ListenTiming timing = {}, QObject *parent = nullptr);
    ~NoticeListener() override;

    /// Connects and LISTENs before it returns, so that nothing committed
    /// after start() can go unheard.
    bool start(QString *error);

signals:
    void notice(const Marquee::ChangeNotice &notice);
    /// Listening again after the connection was lost.
    void reconnected();
    void lost(const QString &error);

private:
    class Worker;
    QThread m_thread;
    std::unique_ptr<Worker> m_worker;
};

} // namespace Marquee
