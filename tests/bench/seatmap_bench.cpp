// The counter's seat map with the 20,000-seat arena (80 rows of 250, as the
// demo seeds it), offscreen: how long from the plan's SVG to the first
// painted frame, and how long one seat's live update takes to apply and to
// repaint. Targets (issue 10): first paint ≤ 300 ms, one-seat update ≤ 1 ms.
//
//   build/tests/bench/seatmap_bench [rounds]     (QT_QPA_PLATFORM=offscreen)
//
// Prints one line per figure, medians over the rounds; results go into
// tests/bench/RESULTS.md with the date, machine, commit and load. In the
// suite it runs one round as a smoke test: it fails only if the map did not
// show the plan or a seat's update did not reach it, never on time.

#include "FloorPlan.h"
#include "model/AvailabilityModel.h"
#include "widgets/SeatMapView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cstdio>

using namespace Marquee;

namespace {

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

QList<EventPriceCategory> categories()
{
    return {{QStringLiteral("floor"), QStringLiteral("Floor"), 8900, QStringLiteral("#2563eb")},
        {QStringLiteral("lower"), QStringLiteral("Lower tier"), 6900, QStringLiteral("#7c3aed")},
        {QStringLiteral("upper"), QStringLiteral("Upper tier"), 4900, QStringLiteral("#0891b2")}};
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rounds = argc > 1 ? qMax(1, QString::fromLatin1(argv[1]).toInt()) : 1;

    const FloorPlan plan = FloorPlan::theatre(80, 250, QStringLiteral("STAGE"), [](int row) {
        return row < 20 ? QStringLiteral("floor")
                        : (row < 50 ? QStringLiteral("lower") : QStringLiteral("upper"));
    });
    const QByteArray svg = plan.toSvg();
    QHash<QString, SeatState> states;
    for (const FloorPlan::Seat &seat : plan.seats)
        states.insert(seat.label, SeatState::Available);

    QList<double> firstPaint;
    QList<double> applyOnly;
    QList<double> applyAndPaint;
    for (int round = 0; round < rounds; ++round) {
        AvailabilityModel model;
        model.reset(QStringLiteral("arena"), EventKind::Seated);
        model.apply(Protocol::ChannelMessage::snapshotSeated(QStringLiteral("arena"), 1, states));
        SeatMapView view;
        view.resize(1280, 700);
        view.setModel(&model);
        view.show();
        QCoreApplication::processEvents();

        // From the SVG to a painted frame, as a clerk opening the event sees it.
        QImage frame(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        QElapsedTimer timer;
        timer.start();
        QString error;
        if (!view.setPlan(svg, categories(), QStringLiteral("EUR"), &error)) {
            std::fprintf(stderr, "the arena plan did not load: %s\n", qPrintable(error));
            return 1;
        }
        {
            QPainter painter(&frame);
            view.viewport()->render(&painter);
        }
        firstPaint.append(timer.nsecsElapsed() / 1e6);
        if (view.seatLabels().size() != plan.seats.size()) {
            std::fprintf(stderr, "the map has %lld seats, not %lld\n",
                qlonglong(view.seatLabels().size()), qlonglong(plan.seats.size()));
            return 1;
        }

        // One seat at a time, as the channel delivers them.
        qint64 version = 1;
        const int updates = 200;
        for (int i = 0; i < updates; ++i) {
            const QString label = plan.seats.at((i * 7919) % plan.seats.size()).label;
            const SeatState state = i % 2 ? SeatState::Available : SeatState::Sold;
            const auto message = Protocol::ChannelMessage::seatUpdate(
                QStringLiteral("arena"), ++version, {{label, state}});
            timer.restart();
            model.apply(message);
            const double applied = timer.nsecsElapsed() / 1e6;
            // The repaint Qt does next: only the seat's own rectangle.
            const QPoint centre = view.seatViewportPosition(label);
            view.viewport()->repaint(QRect(centre - QPoint(12, 12), QSize(24, 24)));
            applyAndPaint.append(timer.nsecsElapsed() / 1e6);
            applyOnly.append(applied);
            const SeatLook expected
                = state == SeatState::Sold ? SeatLook::Sold : SeatLook::Available;
            if (view.lookOf(label) != expected) {
                std::fprintf(stderr, "seat %s did not take its update\n", qPrintable(label));
                return 1;
            }
        }
    }
    std::printf("seats: %lld, rounds: %d\n", qlonglong(plan.seats.size()), rounds);
    std::printf("first paint (setPlan + first frame), median: %.1f ms (target <= 300)\n",
        median(firstPaint));
    std::printf("one-seat update applied, median: %.3f ms\n", median(applyOnly));
    std::printf("one-seat update applied and repainted, median: %.3f ms (target <= 1)\n",
        median(applyAndPaint));
    return 0;
}
