#pragma once

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <functional>

namespace Marquee {

class PaymentProviders;
class Storage;
struct StorageSession;

/// Gives back the money of every payment marked refund_due: one that came
/// after its seats were gone, one for a cancelled order, one of an order a
/// clerk refunded. The state change that freed the seats committed first;
/// the provider is asked afterwards, outside any transaction, and
/// PaymentRefund marks the payment refunded when the provider accepts.
///
/// A refusal, an unreachable provider or a crash before the answer leaves
/// the payment refund_due, and a later round asks again. Each round claims
/// the payments it asks for (payments.refund_asked_at), so two servers on
/// one database, or two rounds on one, do not ask for the same payment at
/// the same time; a claim older than RetrySeconds means that ask went
/// unanswered. A provider refunds a payment at most once (its id is the
/// idempotency key, PaymentProvider::refund), so asking again is safe.
class PendingRefunds : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 RetrySeconds = 300;
    static constexpr int RoundIntervalMs = 60 * 1000;

    PendingRefunds(Storage &storage, const PaymentProviders &providers, QObject *parent = nullptr);

    /// A round now and then every RoundIntervalMs.
    void start();
    /// Asks the providers for every refund that is due and not claimed;
    /// \a done (if set) gets how many payments became refunded.
    void runOnce(std::function<void(int refunded)> done = {});

private:
    struct Due
    {
        QString payment;
        QString provider;
        qint64 amount = 0;
        QString reference;
    };
    using Count = std::function<void(bool refunded)>;

    static QList<Due> claim(StorageSession &s, const QStringList &providers);
    void ask(const QList<Due> &due, std::function<void(int)> done);
    void ask(const Due &due, Count counted);
    void markRefunded(const Due &due, Count counted);

    Storage &m_storage;
    const PaymentProviders &m_providers;
    QTimer m_timer;
};

} // namespace Marquee
