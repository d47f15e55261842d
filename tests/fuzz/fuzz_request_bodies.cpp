// The JSON body of every write route, as the server checks it before any
// storage job (RequestBodies, and Protocol::decodeHoldRequest for holds).
// Input: the first line is the Idempotency-Key header, the rest the body;
// every parser sees the same bytes. The checks are each route's promises to
// the code behind it: what passes is within the limits the storage job and
// the database columns assume.
#include "FuzzCheck.h"
#include "Protocol.h"
#include "RequestBodies.h"

#include <QSet>

using namespace Marquee;

namespace {

void checkCounterSale(const QByteArray &key, const QByteArray &body)
{
    QString error;
    const auto sale = RequestBodies::counterSale(key, body, &error);
    FUZZ_CHECK(sale.has_value() == error.isEmpty());
    if (!sale)
        return;
    FUZZ_CHECK(!sale->key.isEmpty() && sale->key.size() <= 128);
    FUZZ_CHECK(!sale->cart.isEmpty() && sale->cart.size() <= 64);
    FUZZ_CHECK(sale->payment == QLatin1String("cash"));
    FUZZ_CHECK(sale->holds.size() <= 10);
    const QSet<QString> unique(sale->holds.cbegin(), sale->holds.cend());
    FUZZ_CHECK(unique.size() == sale->holds.size());
    for (const QString &hold : sale->holds)
        FUZZ_CHECK(!hold.isEmpty() && hold.size() <= 64);
}

void checkPaymentReport(const QByteArray &key, const QByteArray &body)
{
    QString error;
    const auto report = RequestBodies::paymentReport(key, body, &error);
    FUZZ_CHECK(report.has_value() == error.isEmpty());
    if (!report)
        return;
    FUZZ_CHECK(!report->key.isEmpty() && report->key.size() <= 128);
    FUZZ_CHECK(report->amount >= 0);
    FUZZ_CHECK(report->reference.size() <= 200);
}

void checkSignIn(const QByteArray &body)
{
    QString error;
    const auto signIn = RequestBodies::signIn(body, &error);
    FUZZ_CHECK(signIn.has_value() == error.isEmpty());
    if (signIn)
        FUZZ_CHECK(signIn->user.size() <= 64 && signIn->password.size() <= 1024);
}

void checkHold(const QByteArray &body)
{
    QString error;
    const auto hold = Protocol::decodeHoldRequest(body, Protocol::HoldRequestLimits{}, &error);
    FUZZ_CHECK(hold.has_value() == error.isEmpty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray key = newline < 0 ? QByteArray() : input.left(newline);
    const QByteArray body = newline < 0 ? input : input.mid(newline + 1);
    checkCounterSale(key, body);
    checkPaymentReport(key, body);
    checkSignIn(body);
    checkHold(body);
    return 0;
}
