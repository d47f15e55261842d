// Finding the show at the counter, offscreen and without a server: today's
// performances first (by the venue's day, not the terminal's), then the
// coming ones in time order, past ones last; a search by name, venue or
// date that ignores case and accents; Up and Down from the search line.

#include "widgets/EventFinder.h"
#include "widgets/EventList.h"

#include <QLineEdit>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Marquee;

namespace {

const QString Berlin = QStringLiteral("Europe/Berlin");

/// 10:00 in Berlin on 4 December 2026: the clock of every case here.
QDateTime now()
{
    return QDateTime(QDate(2026, 12, 4), QTime(9, 0), Qt::UTC);
}

EventSummary show(const QString &slug, const QString &name, const QDateTime &startsAt,
    const QString &venue = QStringLiteral("The Marquee Hall"))
{
    EventSummary event;
    event.slug = slug;
    event.name = name;
    event.startsAt = startsAt;
    event.venue = venue;
    event.currency = QStringLiteral("EUR");
    event.timeZone = Berlin;
    return event;
}

QList<EventSummary> programme()
{
    const QDate today(2026, 12, 4);
    return {
        show(QStringLiteral("next-week"), QStringLiteral("Brunch in the Park"),
            QDateTime(today.addDays(7), QTime(18, 30), Qt::UTC)),
        show(QStringLiteral("yesterday"), QStringLiteral("Breakfast Club"),
            QDateTime(today.addDays(-1), QTime(18, 30), Qt::UTC)),
        // 23:30 UTC is already tomorrow in Berlin: not today's.
        show(QStringLiteral("late"), QStringLiteral("Late Jazz"),
            QDateTime(today, QTime(23, 30), Qt::UTC)),
        show(QStringLiteral("tonight"), QStringLiteral("Die Zauberflöte"),
            QDateTime(today, QTime(18, 30), Qt::UTC), QStringLiteral("Großes Haus")),
        show(QStringLiteral("matinee"), QStringLiteral("Matinée"),
            QDateTime(today, QTime(9, 30), Qt::UTC)),
    };
}

QStringList visibleSlugs(const EventList &list)
{
    QStringList slugs;
    for (int row = 0; row < list.count(); ++row) {
        if (!list.isRowHidden(row))
            slugs.append(list.eventAt(row)->slug);
    }
    return slugs;
}

} // namespace

class TestEventFinder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Dates as the cases spell them, whatever this machine's language.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    void todaysShowsComeFirst()
    {
        EventFinder finder;
        finder.setEvents(programme(), now());
        QCOMPARE(visibleSlugs(*finder.list()),
            (QStringList{QStringLiteral("matinee"), QStringLiteral("tonight"),
                QStringLiteral("late"), QStringLiteral("next-week"), QStringLiteral("yesterday")}));
        // Today's say so, at the venue's time.
        QVERIFY(finder.list()
                    ->item(1)
                    ->data(Qt::UserRole + 2)
                    .toString()
                    .startsWith(QStringLiteral("Today, 19:30")));
        QVERIFY(!finder.list()
                     ->item(2)
                     ->data(Qt::UserRole + 2)
                     .toString()
                     .startsWith(QStringLiteral("Today")));
    }

    void searchFindsByNameVenueOrDate_data()
    {
        QTest::addColumn<QString>("words");
        QTest::addColumn<QStringList>("found");
        QTest::newRow("nothing typed")
            << QString()
            << QStringList{QStringLiteral("matinee"), QStringLiteral("tonight"),
                   QStringLiteral("late"), QStringLiteral("next-week"),
                   QStringLiteral("yesterday")};
        QTest::newRow("a name, any case") << "BRUNCH" << QStringList{QStringLiteral("next-week")};
        QTest::newRow("without accents") << "zauberflote" << QStringList{QStringLiteral("tonight")};
        QTest::newRow("a venue") << "grosses" << QStringList{QStringLiteral("tonight")};
        QTest::newRow("every word must match")
            << "b club" << QStringList{QStringLiteral("yesterday")};
        QTest::newRow("today") << "today"
                               << QStringList{QStringLiteral("matinee"), QStringLiteral("tonight")};
        QTest::newRow("an ISO date") << "2026-12-05" << QStringList{QStringLiteral("late")};
        QTest::newRow("a date as shown") << "11 dec" << QStringList{QStringLiteral("next-week")};
        QTest::newRow("no such show") << "opera" << QStringList{};
    }

    void searchFindsByNameVenueOrDate()
    {
        QFETCH(QString, words);
        QFETCH(QStringList, found);
        EventFinder finder;
        finder.setEvents(programme(), now());
        QTest::keyClicks(finder.search(), words);
        QCOMPARE(visibleSlugs(*finder.list()), found);
    }

    void arrowsInTheSearchMoveThroughWhatIsFound()
    {
        EventFinder finder;
        finder.show();
        QVERIFY(QTest::qWaitForWindowExposed(&finder));
        finder.setEvents(programme(), now());
        QSignalSpy finished(&finder, &EventFinder::finished);
        finder.focusSearch();
        QTest::keyClicks(finder.search(), QStringLiteral("br"));
        QTest::keyClick(finder.search(), Qt::Key_Down);
        QCOMPARE(finder.list()->currentEvent()->slug, QStringLiteral("next-week"));
        QTest::keyClick(finder.search(), Qt::Key_Down);
        QCOMPARE(finder.list()->currentEvent()->slug, QStringLiteral("yesterday"));
        QTest::keyClick(finder.search(), Qt::Key_Down); // the last one found: stays
        QCOMPARE(finder.list()->currentEvent()->slug, QStringLiteral("yesterday"));
        QTest::keyClick(finder.search(), Qt::Key_Up);
        QCOMPARE(finder.list()->currentEvent()->slug, QStringLiteral("next-week"));
        QCOMPARE(finder.search()->text(), QStringLiteral("br")); // the keys did not type
        QTest::keyClick(finder.search(), Qt::Key_Return);
        QCOMPARE(finished.size(), 1);
    }
};

QTEST_MAIN(TestEventFinder)
#include "tst_eventfinder.moc"
