// The channel codec and the hold request parser: what goes over the wire.
#include "Money.h"
#include "Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Marquee;
using namespace Marquee::Protocol;

class TestProtocol : public QObject
{
    Q_OBJECT

private slots:
    void seatedRoundTrip()
    {
        const QHash<QString, SeatState> seats{{QStringLiteral("A1"), SeatState::Available},
            {QStringLiteral("A2"), SeatState::Sold}, {QStringLiteral("B7"), SeatState::Blocked},
            {QStringLiteral("C3"), SeatState::Held}};
        const auto decoded = decodeChannelMessage(
            encode(ChannelMessage::snapshotSeated(QStringLiteral("breakfast-ii"), 41, seats)));
        QVERIFY(decoded);
        QCOMPARE(decoded->type, ChannelMessage::Type::Snapshot);
        QCOMPARE(decoded->kind, EventKind::Seated);
        QCOMPARE(decoded->event, QStringLiteral("breakfast-ii"));
        QCOMPARE(decoded->version, 41);
        QCOMPARE(decoded->seats, seats);
    }

    void wireFormatMatchesContract()
    {
        // The exact shape ARCHITECTURE.md promises to browsers.
        const QJsonObject update = QJsonDocument::fromJson(
            encode(ChannelMessage::availabilityUpdate(QStringLiteral("open-air"), 8, 118, 500)))
                                       .object();
        QCOMPARE(update.value(QLatin1String("type")).toString(), QStringLiteral("availability"));
        QCOMPARE(update.value(QLatin1String("event")).toString(), QStringLiteral("open-air"));
        QCOMPARE(update.value(QLatin1String("version")).toInt(), 8);
        QCOMPARE(update.value(QLatin1String("available")).toInt(), 118);
        QCOMPARE(update.value(QLatin1String("capacity")).toInt(), 500);
        QVERIFY(!update.contains(QLatin1String("seats")));

        const QJsonObject seats = QJsonDocument::fromJson(
            encode(ChannelMessage::seatUpdate(
                QStringLiteral("breakfast-ii"), 42, {{QStringLiteral("A1"), SeatState::Held}})))
                                      .object();
        QCOMPARE(seats.value(QLatin1String("type")).toString(), QStringLiteral("seats"));
        QCOMPARE(
            seats.value(QLatin1String("seats")).toObject().value(QLatin1String("A1")).toString(),
            QStringLiteral("held"));
    }

    void generalRoundTrip()
    {
        const auto decoded = decodeChannelMessage(
            encode(ChannelMessage::snapshotGeneral(QStringLiteral("open-air"), 7, 120, 500)));
        QVERIFY(decoded);
        QCOMPARE(decoded->kind, EventKind::General);
        QCOMPARE(decoded->available, 120);
        QCOMPARE(decoded->capacity, 500);
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("{nope");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("unknown type")
            << QByteArray("{\"type\":\"gossip\",\"event\":\"a\",\"version\":1}");
        QTest::newRow("no event") << QByteArray("{\"type\":\"seats\",\"version\":1,\"seats\":{}}");
        QTest::newRow("bad slug") << QByteArray(
            "{\"type\":\"seats\",\"event\":\"../x\",\"version\":1,\"seats\":{}}");
        // Found by fuzz_request_bodies: "$" matched before a final newline.
        QTest::newRow("slug ending in a newline")
            << QByteArray("{\"type\":\"seats\",\"event\":\"a\\n\",\"version\":1,\"seats\":{}}");
        QTest::newRow("label ending in a newline") << QByteArray(
            "{\"type\":\"seats\",\"event\":\"a\",\"version\":1,\"seats\":{\"A1\\n\":\"held\"}}");
        QTest::newRow("negative version")
            << QByteArray("{\"type\":\"seats\",\"event\":\"a\",\"version\":-1,\"seats\":{}}");
        // Found by fuzz_protocol: read as version 0 before the fix.
        QTest::newRow("fractional version")
            << QByteArray("{\"type\":\"seats\",\"event\":\"a\",\"version\":0.513,\"seats\":{}}");
        QTest::newRow("version past qint64")
            << QByteArray("{\"type\":\"seats\",\"event\":\"a\",\"version\":1e30,\"seats\":{}}");
        QTest::newRow("version past 2^53") << QByteArray(
            "{\"type\":\"seats\",\"event\":\"a\",\"version\":9007199254740994,\"seats\":{}}");
        QTest::newRow("version string")
            << QByteArray("{\"type\":\"seats\",\"event\":\"a\",\"version\":\"1\",\"seats\":{}}");
        QTest::newRow("unknown state") << QByteArray(
            "{\"type\":\"seats\",\"event\":\"a\",\"version\":1,\"seats\":{\"A1\":\"maybe\"}}");
        QTest::newRow("bad label") << QByteArray(
            "{\"type\":\"seats\",\"event\":\"a\",\"version\":1,\"seats\":{\"<b>\":\"held\"}}");
        QTest::newRow("seats not object")
            << QByteArray("{\"type\":\"seats\",\"event\":\"a\",\"version\":1,\"seats\":[\"A1\"]}");
        QTest::newRow("negative count")
            << QByteArray("{\"type\":\"availability\",\"event\":\"a\",\"version\":1,\"available\":-"
                          "1,\"capacity\":5}");
        QTest::newRow("fractional count")
            << QByteArray("{\"type\":\"availability\",\"event\":\"a\",\"version\":1,\"available\":"
                          "1.5,\"capacity\":5}");
        QTest::newRow("more than capacity")
            << QByteArray("{\"type\":\"availability\",\"event\":\"a\",\"version\":1,\"available\":"
                          "6,\"capacity\":5}");
        QTest::newRow("missing capacity") << QByteArray(
            "{\"type\":\"availability\",\"event\":\"a\",\"version\":1,\"available\":1}");
    }

    void rejectsMalformed()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(!decodeChannelMessage(json, &error));
        QVERIFY(!error.isEmpty());
    }

    void resyncRequest()
    {
        const auto decoded = decodeChannelMessage("{\"type\":\"resync\"}");
        QVERIFY(decoded);
        QCOMPARE(decoded->type, ChannelMessage::Type::Resync);
    }

    void holdRequest_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QStringList>("seats");
        QTest::addColumn<int>("quantity");
        QTest::newRow("seats") << QByteArray(
            "{\"event\":\"breakfast-ii\",\"seats\":[\"A1\",\"A2\"]}")
                               << true << QStringList{QStringLiteral("A1"), QStringLiteral("A2")}
                               << 0;
        QTest::newRow("quantity") << QByteArray("{\"event\":\"open-air\",\"quantity\":2}") << true
                                  << QStringList() << 2;
        QTest::newRow("max quantity") << QByteArray("{\"event\":\"open-air\",\"quantity\":10}")
                                      << true << QStringList() << 10;
        QTest::newRow("both") << QByteArray("{\"event\":\"x\",\"seats\":[\"A1\"],\"quantity\":1}")
                              << false << QStringList() << 0;
        QTest::newRow("neither") << QByteArray("{\"event\":\"x\"}") << false << QStringList() << 0;
        // fuzz_request_bodies' find, as it came.
        QTest::newRow("slug with a newline")
            << QByteArray("{\"event\":\"t\\n\",\"quantity\":2}") << false << QStringList() << 0;
        QTest::newRow("label with a newline")
            << QByteArray("{\"event\":\"x\",\"seats\":[\"A1\\n\"]}") << false << QStringList() << 0;
        QTest::newRow("zero") << QByteArray("{\"event\":\"x\",\"quantity\":0}") << false
                              << QStringList() << 0;
        QTest::newRow("negative") << QByteArray("{\"event\":\"x\",\"quantity\":-3}") << false
                                  << QStringList() << 0;
        QTest::newRow("absurd") << QByteArray("{\"event\":\"x\",\"quantity\":1e12}") << false
                                << QStringList() << 0;
        QTest::newRow("fraction") << QByteArray("{\"event\":\"x\",\"quantity\":1.5}") << false
                                  << QStringList() << 0;
        // Far outside what an integer holds: refused without converting.
        QTest::newRow("1e300") << QByteArray("{\"event\":\"x\",\"quantity\":1e300}") << false
                               << QStringList() << 0;
        QTest::newRow("-1e300") << QByteArray("{\"event\":\"x\",\"quantity\":-1e300}") << false
                                << QStringList() << 0;
        QTest::newRow("1e19") << QByteArray("{\"event\":\"x\",\"quantity\":1e19}") << false
                              << QStringList() << 0;
        QTest::newRow("-1e19") << QByteArray("{\"event\":\"x\",\"quantity\":-1e19}") << false
                               << QStringList() << 0;
        // JSON has no NaN or infinity; these are what comes closest.
        QTest::newRow("overflows to infinity")
            << QByteArray("{\"event\":\"x\",\"quantity\":1e999}") << false << QStringList() << 0;
        QTest::newRow("NaN literal")
            << QByteArray("{\"event\":\"x\",\"quantity\":NaN}") << false << QStringList() << 0;
        QTest::newRow("huge with fraction")
            << QByteArray("{\"event\":\"x\",\"quantity\":9223372036854775807.5}") << false
            << QStringList() << 0;
        QTest::newRow("string quantity")
            << QByteArray("{\"event\":\"x\",\"quantity\":\"2\"}") << false << QStringList() << 0;
        QTest::newRow("over limit")
            << QByteArray("{\"event\":\"x\",\"quantity\":11}") << false << QStringList() << 0;
        QTest::newRow("empty seats")
            << QByteArray("{\"event\":\"x\",\"seats\":[]}") << false << QStringList() << 0;
        QTest::newRow("duplicate seat") << QByteArray("{\"event\":\"x\",\"seats\":[\"A1\",\"A1\"]}")
                                        << false << QStringList() << 0;
        QTest::newRow("seat not string")
            << QByteArray("{\"event\":\"x\",\"seats\":[1]}") << false << QStringList() << 0;
        QTest::newRow("injection")
            << QByteArray("{\"event\":\"x\",\"seats\":[\"A1'; DROP TABLE seats;--\"]}") << false
            << QStringList() << 0;
        QTest::newRow("too many seats")
            << QByteArray("{\"event\":\"x\",\"seats\":[\"A1\",\"A2\",\"A3\",\"A4\",\"A5\",\"A6\","
                          "\"A7\",\"A8\",\"A9\",\"A10\",\"A11\"]}")
            << false << QStringList() << 0;
        QTest::newRow("no event") << QByteArray("{\"seats\":[\"A1\"]}") << false << QStringList()
                                  << 0;
        QTest::newRow("not json") << QByteArray("seats=A1") << false << QStringList() << 0;
    }

    void holdRequest()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        QFETCH(QStringList, seats);
        QFETCH(int, quantity);
        QString error;
        const auto request = decodeHoldRequest(json, HoldRequestLimits{}, &error);
        QCOMPARE(bool(request), valid);
        if (!valid) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QCOMPARE(request->seats, seats);
        QCOMPARE(request->quantity, quantity);
    }

    void moneyIsExact_data()
    {
        QTest::addColumn<qint64>("minor");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("text");
        QTest::newRow("euros") << qint64(4500) << QStringLiteral("EUR")
                               << QStringLiteral("45.00 EUR");
        QTest::newRow("cents") << qint64(5) << QStringLiteral("EUR") << QStringLiteral("0.05 EUR");
        QTest::newRow("negative cents")
            << qint64(-5) << QStringLiteral("EUR") << QStringLiteral("-0.05 EUR");
        QTest::newRow("negative") << qint64(-1234) << QStringLiteral("GBP")
                                  << QStringLiteral("-12.34 GBP");
        QTest::newRow("yen have no minor unit")
            << qint64(4500) << QStringLiteral("JPY") << QStringLiteral("4500 JPY");
        QTest::newRow("forint has two by ISO")
            << qint64(4500) << QStringLiteral("HUF") << QStringLiteral("45.00 HUF");
        QTest::newRow("dinar has three")
            << qint64(4500) << QStringLiteral("KWD") << QStringLiteral("4.500 KWD");
    }

    void moneyIsExact()
    {
        QFETCH(qint64, minor);
        QFETCH(QString, currency);
        QFETCH(QString, text);
        QCOMPARE((Money{minor, currency}.toString()), text);
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
