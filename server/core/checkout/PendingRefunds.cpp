#include "PendingRefunds.h"

#include "Clock.h"
#include "PaymentProviders.h"
#include "PaymentRefund.h"
#include "Sql.h"
#include "Storage.h"

#include <memory>

namespace Marquee {

namespace {

constexpr int Batch = 100; ///< per round; the rest waits for the next one

AuditActor providerActor(const QString &provider)
{
    return {QStringLiteral("provider:") + provider, {}};
}

} // namespace

PendingRefunds::PendingRefunds(Storage &storage, const PaymentProviders &providers, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_providers(providers)
{
    m_timer.setInterval(RoundIntervalMs);
    m_timer.setTimerType(Qt::VeryCoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { runOnce(); });
}

void PendingRefunds::start()
{
    m_timer.start();
    runOnce();
}

void PendingRefunds::runOnce(std::function<void(int)> done)
{
    const QStringList providers = m_providers.names();
    if (providers.isEmpty()) {
        if (done)
            done(0);
        return;
    }
    m_storage.run<QList<Due>>([providers](StorageSession &s) { return claim(s, providers); },
        [this, done](std::optional<QList<Due>> due, const QString &error) {
            if (!due) {
                qWarning("refunds: %s", qPrintable(error));
                if (done)
                    done(0);
                return;
            }
            ask(*due, done);
        });
}

QList<PendingRefunds::Due> PendingRefunds::claim(StorageSession &s, const QStringList &providers)
{
    const QString now = isoUtc(s.clock.now());
    const QString stale = isoUtc(s.clock.now().addSecs(-RetrySeconds));
    // Only payments of providers this server has: another server may have
    // one this does not, and claiming its payments would only delay them.
    QStringList marks(providers.size(), QStringLiteral("?"));
    const QString unclaimed
        = QStringLiteral(" state = 'refund_due' AND provider IN (%1)"
                         " AND (refund_asked_at IS NULL OR refund_asked_at < ?)")
              .arg(marks.join(u','));
    QVariantList values(providers.cbegin(), providers.cend());
    values.append(stale);
    QList<Due> due;
    Sql::Rows rows = Sql::exec(s.db,
        QStringLiteral("SELECT id, provider, amount, reference FROM payments WHERE") + unclaimed
            + QStringLiteral(" ORDER BY id LIMIT %1").arg(Batch),
        values);
    while (rows.next())
        due.append({rows.value(0).toString(), rows.value(1).toString(), rows.value(2).toLongLong(),
            rows.value(3).toString()});
    // The claim is a conditional update: of two servers that read the same
    // payment, the one whose update changes the row asks for it.
    Transaction transaction(s.db);
    QList<Due> claimed;
    for (const Due &payment : std::as_const(due)) {
        QVariantList claim{now, payment.payment};
        claim.append(values);
        if (Sql::exec(s.db,
                QStringLiteral("UPDATE payments SET refund_asked_at = ? WHERE id = ? AND")
                    + unclaimed,
                claim)
                .numRowsAffected()
            == 1)
            claimed.append(payment);
    }
    transaction.commit();
    return claimed;
}

void PendingRefunds::ask(const QList<Due> &due, std::function<void(int)> done)
{
    struct Tally
    {
        qsizetype waiting = 0;
        int refunded = 0;
        std::function<void(int)> done;
    };
    auto tally = std::make_shared<Tally>(Tally{due.size(), 0, std::move(done)});
    const Count counted = [tally](bool refunded) {
        tally->refunded += refunded ? 1 : 0;
        if (--tally->waiting == 0 && tally->done)
            tally->done(tally->refunded);
    };
    if (due.isEmpty() && tally->done)
        return tally->done(0);
    for (const Due &payment : due)
        ask(payment, counted);
}

void PendingRefunds::ask(const Due &due, Count counted)
{
    const PaymentProvider *provider = m_providers.find(due.provider);
    if (!provider) {
        qWarning("refunds: %s was paid through provider \"%s\", which this server does not"
                 " have; it stays refund_due",
            qPrintable(due.payment), qPrintable(due.provider));
        return counted(false);
    }
    provider->refund(due.payment, due.amount, due.reference, [this, due, counted](bool accepted) {
        if (!accepted) {
            qWarning("refunds: the provider refused the refund of %s; it stays refund_due and"
                     " is asked again in %lld s",
                qPrintable(due.payment), RetrySeconds);
            return counted(false);
        }
        markRefunded(due, counted);
    });
}

void PendingRefunds::markRefunded(const Due &due, Count counted)
{
    m_storage.run<bool>(
        [due](StorageSession &s) {
            return PaymentRefund::markRefunded(
                s.db, s.clock, providerActor(due.provider), due.payment);
        },
        [due, counted](std::optional<bool> marked, const QString &error) {
            // Not marked: the provider gave the money back, and the next
            // ask (after RetrySeconds) finds it already given and says so.
            if (!marked)
                qWarning("refunds: %s was refunded but not marked: %s", qPrintable(due.payment),
                    qPrintable(error));
            counted(marked.value_or(false));
        });
}

} // namespace Marquee
