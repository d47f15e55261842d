#include "SenderPool.h"

#include "ChannelSender.h"

#include <QThread>

#include <algorithm>

namespace Marquee {

SenderPool::SenderPool(int threads, const ChannelLimits &limits, SubscriberCounts &counts)
{
    if (threads < 1)
        threads = std::clamp(QThread::idealThreadCount(), 2, 4);
    for (int i = 0; i < threads; ++i) {
        Worker worker{std::make_unique<QThread>(), std::make_unique<ChannelSender>(limits, counts)};
        worker.thread->setObjectName(
            QStringLiteral("sender-%1").arg(i + 1)); // the OS thread's name
        worker.sender->moveToThread(worker.thread.get());
        QObject::connect(
            worker.thread.get(), &QThread::started, worker.sender.get(), &ChannelSender::start);
        worker.thread->start();
        m_workers.push_back(std::move(worker));
    }
}

SenderPool::~SenderPool()
{
    stop();
}

ChannelSender &SenderPool::leastLoaded()
{
    return *std::min_element(
        m_workers.begin(), m_workers.end(), [](const Worker &a, const Worker &b) {
            return a.sender->load() < b.sender->load();
        })->sender;
}

void SenderPool::stop()
{
    QThread *const home = QThread::currentThread();
    for (Worker &worker : m_workers) {
        if (!worker.thread->isRunning())
            continue;
        ChannelSender *const sender = worker.sender.get();
        QMetaObject::invokeMethod(
            sender, [sender, home] { sender->closeAll(home); }, Qt::BlockingQueuedConnection);
        worker.thread->quit();
        worker.thread->wait();
    }
}

} // namespace Marquee
