#include "NoticeListener.h"

#include "Sql.h"
#include "Storage.h"

#include <QAtomicInt>
#include <QSqlDriver>
#include <QSqlError>
#include <QTimer>

namespace Marquee {

namespace {
QAtomicInt listenerCounter;
}

/// Lives on the listener's thread and owns its connection there.
class NoticeListener::Worker : public QObject
{
public:
    Worker(NoticeListener &owner, DatabaseConfig config, ListenTiming timing)
        : m_owner(owner)
        , m_config(std::move(config))
        , m_timing(timing)
        , m_baseName(QStringLiteral("marquee-listen-%1").arg(listenerCounter.fetchAndAddRelaxed(1)))
    {
    }

    void setUp()
    {
        m_probe = new QTimer(this);
        m_probe->setSingleShot(true);
        connect(m_probe, &QTimer::timeout, this, [this] { m_connected ? probe() : reconnect(); });
    }

    bool connectAndListen(QString *error)
    {
        closeConnection();
        m_name = m_baseName + QStringLiteral("-%1").arg(++m_attempt);
        // Untouched: a newer server may have migrated the schema meanwhile;
        // listening does not care.
        QSqlDatabase db = openDatabase(m_config, m_name, error, Schema::Untouched);
        if (!db.isOpen())
            return false;
        connect(db.driver(), &QSqlDriver::notification, this,
            [this](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                deliver(payload.toString().toUtf8());
            });
        if (!db.driver()->subscribeToNotification(QLatin1String(ChangeNotice::Channel))) {
            *error = db.driver()->lastError().text();
            return false;
        }
        m_connected = true;
        m_retryMs = m_timing.firstRetryMs;
        m_probe->start(m_timing.probeMs);
        return true;
    }

    void closeConnection()
    {
        if (m_name.isEmpty())
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isOpen())
                Sql::close(db);
        }
        QSqlDatabase::removeDatabase(m_name);
        m_name.clear();
        m_connected = false;
    }

private:
    void deliver(const QByteArray &payload)
    {
        const auto notice = ChangeNotice::decode(payload);
        if (!notice) {
            qWarning("listener: ignoring a notice that does not parse");
            return;
        }
        QMetaObject::invokeMethod(
            &m_owner, [owner = &m_owner, n = *notice] { emit owner->notice(n); },
            Qt::QueuedConnection);
    }

    void probe()
    {
        QString error;
        {
            QSqlQuery query(QSqlDatabase::database(m_name, false));
            if (query.exec(QStringLiteral("SELECT 1"))) {
                m_probe->start(m_timing.probeMs);
                return;
            }
            error = query.lastError().text();
        }
        qWarning("listener: connection lost: %s", qPrintable(error));
        QMetaObject::invokeMethod(
            &m_owner, [owner = &m_owner, error] { emit owner->lost(error); }, Qt::QueuedConnection);
        closeConnection();
        m_probe->start(m_retryMs);
    }

    void reconnect()
    {
        QString error;
        if (!connectAndListen(&error)) {
            if (m_retryMs >= m_timing.maxRetryMs)
                qWarning("listener: still cannot listen: %s", qPrintable(error));
            closeConnection();
            m_retryMs = qMin(m_retryMs * 2, m_timing.maxRetryMs);
            m_probe->start(m_retryMs);
            return;
        }
        qInfo("listener: listening again");
        QMetaObject::invokeMethod(
            &m_owner, [owner = &m_owner] { emit owner->reconnected(); }, Qt::QueuedConnection);
    }

    NoticeListener &m_owner;
    DatabaseConfig m_config;
    ListenTiming m_timing;
    QString m_baseName;
    QString m_name;
    int m_attempt = 0;
    bool m_connected = false;
    int m_retryMs = 0;
    QTimer *m_probe = nullptr;
};

NoticeListener::NoticeListener(DatabaseConfig config, ListenTiming timing, QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<Worker>(*this, std::move(config), timing))
{
    m_thread.setObjectName(QStringLiteral("listener"));
    m_worker->moveToThread(&m_thread);
}

NoticeListener::~NoticeListener()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(
            m_worker.get(),
            [this] {
                m_worker->closeConnection();
                qDeleteAll(m_worker->children());
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    m_worker.reset();
}

bool NoticeListener::start(QString *error)
{
    m_thread.start();
    bool ok = false;
    QMetaObject::invokeMethod(
        m_worker.get(),
        [this, &ok, error] {
            m_worker->setUp();
            ok = m_worker->connectAndListen(error);
        },
        Qt::BlockingQueuedConnection);
    return ok;
}

} // namespace Marquee
