// The floor plan's SVG form: what the server stores and both clients render.
#include "FloorPlan.h"

#include <QtTest>

using namespace Marquee;

class TestFloorPlan : public QObject
{
    Q_OBJECT

private slots:
    void theatreLayout()
    {
        const FloorPlan plan = FloorPlan::theatre(10, 16, QStringLiteral("STAGE"),
            [](int row) { return row < 5 ? QStringLiteral("stalls") : QStringLiteral("rear"); });
        QCOMPARE(plan.seats.size(), 160);
        QCOMPARE(plan.seats.first().label, QStringLiteral("A1"));
        QCOMPARE(plan.seats.last().label, QStringLiteral("J16"));
        QCOMPARE(plan.seats.at(16 * 5).category, QStringLiteral("rear"));
        // Every seat inside the drawing.
        for (const auto &seat : plan.seats) {
            QVERIFY(seat.position.x() > 0 && seat.position.x() < plan.width);
            QVERIFY(seat.position.y() > 0 && seat.position.y() < plan.height);
        }
    }

    void manyRowsGetDoubleLetters()
    {
        const FloorPlan plan
            = FloorPlan::theatre(28, 1, QString(), [](int) { return QStringLiteral("x"); });
        QCOMPARE(plan.seats.at(25).row, QStringLiteral("Z"));
        QCOMPARE(plan.seats.at(26).row, QStringLiteral("AA"));
        QCOMPARE(plan.seats.at(27).label, QStringLiteral("AB1"));
    }

    void svgRoundTrip()
    {
        const FloorPlan plan = FloorPlan::theatre(
            3, 4, QStringLiteral("Bühne & <Co>"), [](int) { return QStringLiteral("stalls"); });
        const QByteArray svg = plan.toSvg();
        QVERIFY(svg.contains("id=\"B3\""));
        QString error;
        const auto read = FloorPlan::fromSvg(svg, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->stageLabel, plan.stageLabel);
        QCOMPARE(read->width, plan.width);
        QCOMPARE(read->seats.size(), plan.seats.size());
        for (qsizetype i = 0; i < plan.seats.size(); ++i) {
            QCOMPARE(read->seats.at(i).label, plan.seats.at(i).label);
            QCOMPARE(read->seats.at(i).row, plan.seats.at(i).row);
            QCOMPARE(read->seats.at(i).number, plan.seats.at(i).number);
            QCOMPARE(read->seats.at(i).category, plan.seats.at(i).category);
            QCOMPARE(read->seats.at(i).position, plan.seats.at(i).position);
        }
    }

    // The counter draws seats itself: the background it gets is the plan
    // without the seats' circles (and their titles), the rest as it was.
    void backgroundLeavesOutTheSeats()
    {
        const FloorPlan plan = FloorPlan::theatre(
            3, 4, QStringLiteral("STAGE"), [](int) { return QStringLiteral("stalls"); });
        QByteArray background;
        QString error;
        const auto read = FloorPlan::fromSvg(plan.toSvg(), &error, &background);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->seats.size(), 12);
        QCOMPARE(read->seats.first().radius, FloorPlan::SeatRadius);
        QVERIFY(!read->transformed);
        QVERIFY(!background.contains("<circle"));
        QVERIFY(!background.contains("<title>"));
        QVERIFY(background.contains(">STAGE<"));
        QVERIFY(background.contains("viewBox="));
        const auto again = FloorPlan::fromSvg(background, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->seats.size(), 0);

        // A transform anywhere: the seats' own numbers are not their places.
        const QByteArray moved
            = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">"
              "<g transform=\"translate(10 0)\"><circle class=\"seat\" id=\"A1\""
              " cx=\"5\" cy=\"5\" r=\"4\"/></g></svg>";
        const auto transformed = FloorPlan::fromSvg(moved, &error);
        QVERIFY2(transformed, qPrintable(error));
        QVERIFY(transformed->transformed);
        QCOMPARE(transformed->seats.first().radius, 4.0);
    }

    void tinyPlanSurvivesRoundTrip()
    {
        // Found by fuzz_floorplan: a plan 0.02 high was written as "0.0"
        // (one decimal), and the written SVG was refused when read again.
        const QByteArray svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 .02\">"
                               "<circle class=\"seat\" id=\"T2\" data-row=\"T\" data-number=\"2\""
                               " data-category=\"stalls\" cx=\"120.25\" cy=\"0.013\"/></svg>";
        QString error;
        const auto plan = FloorPlan::fromSvg(svg, &error);
        QVERIFY2(plan, qPrintable(error));
        const auto again = FloorPlan::fromSvg(plan->toSvg(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->height, plan->height);
        QCOMPARE(again->seats.size(), 1);
        QCOMPARE(again->seats.first().position, plan->seats.first().position);
    }

    void rejectsBadPlans_data()
    {
        QTest::addColumn<QByteArray>("svg");
        QTest::newRow("not xml") << QByteArray("<svg");
        QTest::newRow("no viewBox") << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        QTest::newRow("duplicate seat")
            << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle "
                          "class=\"seat\" id=\"A1\"/><circle class=\"seat\" id=\"A1\"/></svg>");
        QTest::newRow("bad seat id")
            << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle "
                          "class=\"seat\" id=\"a b\"/></svg>");
        // Found with fuzz_floorplan's checks: accepted before the fix.
        QTest::newRow("NaN width") << QByteArray("<svg viewBox=\"0 0 nan 10\"/>");
        QTest::newRow("infinite height") << QByteArray("<svg viewBox=\"0 0 10 inf\"/>");
        QTest::newRow("overflowing width") << QByteArray("<svg viewBox=\"0 0 1e999 10\"/>");
        QTest::newRow("seat at infinity")
            << QByteArray("<svg viewBox=\"0 0 10 10\"><circle class=\"seat\" id=\"A1\" "
                          "cx=\"inf\" cy=\"1\"/></svg>");
        QTest::newRow("seat at NaN")
            << QByteArray("<svg viewBox=\"0 0 10 10\"><circle class=\"seat\" id=\"A1\" "
                          "cx=\"1\" cy=\"nan\"/></svg>");
    }

    void rejectsBadPlans()
    {
        QFETCH(QByteArray, svg);
        QString error;
        QVERIFY(!FloorPlan::fromSvg(svg, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFloorPlan)
#include "tst_floorplan.moc"
