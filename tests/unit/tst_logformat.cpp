// The server's log lines: journald's priorities when stderr is the journal,
// a readable UTC form elsewhere, one line per event either way.
#include "LogFormat.h"

#include <QTemporaryFile>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Marquee;

namespace {

const QDateTime at(QDate(2026, 12, 2), QTime(6, 0), Qt::UTC);

} // namespace

class TestLogFormat : public QObject
{
    Q_OBJECT

private slots:
    void line_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("journal");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("critical, journal") << int(
            QtCriticalMsg) << true << QByteArray("<3>storage: the database connection is lost\n");
        QTest::newRow("warning, journal") << int(
            QtWarningMsg) << true << QByteArray("<4>storage: the database connection is lost\n");
        QTest::newRow("info, journal") << int(
            QtInfoMsg) << true << QByteArray("<6>storage: the database connection is lost\n");
        QTest::newRow("debug, journal") << int(
            QtDebugMsg) << true << QByteArray("<7>storage: the database connection is lost\n");
        QTest::newRow("warning, readable")
            << int(QtWarningMsg) << false
            << QByteArray(
                   "2026-12-02T06:00:00Z warning storage: the database connection is lost\n");
        QTest::newRow("critical, readable")
            << int(QtCriticalMsg) << false
            << QByteArray(
                   "2026-12-02T06:00:00Z critical storage: the database connection is lost\n");
        QTest::newRow("info, readable")
            << int(QtInfoMsg) << false
            << QByteArray("2026-12-02T06:00:00Z info storage: the database connection is lost\n");
        QTest::newRow("debug, readable")
            << int(QtDebugMsg) << false
            << QByteArray("2026-12-02T06:00:00Z debug storage: the database connection is lost\n");
    }

    void line()
    {
        QFETCH(int, type);
        QFETCH(bool, journal);
        QFETCH(QByteArray, expected);
        QCOMPARE(LogFormat::line(QtMsgType(type), "default",
                     QStringLiteral("storage: the database connection is lost"),
                     journal ? LogFormat::Style::Journal : LogFormat::Style::Readable, at),
            expected);
    }

    void aMultiLineMessageIsOneLine()
    {
        // libpq's errors come in several lines; each would be an entry of
        // its own in the journal, the later ones without a priority.
        const QString error = QStringLiteral(
            "storage: could not connect to server: Connection refused\n\tIs the server running on"
            " host \"127.0.0.1\"?\r\n\n");
        QCOMPARE(LogFormat::line(QtWarningMsg, "default", error, LogFormat::Style::Journal, at),
            QByteArray("<4>storage: could not connect to server: Connection refused | Is the"
                       " server running on host \"127.0.0.1\"?\n"));
        const QByteArray readable
            = LogFormat::line(QtWarningMsg, nullptr, error, LogFormat::Style::Readable, at);
        QCOMPARE(readable.count('\n'), 1);
        QVERIFY(readable.endsWith('\n'));
    }

    void qtCategoriesAreNamed()
    {
        QCOMPARE(LogFormat::line(QtWarningMsg, "qt.network.ssl", QStringLiteral("no cipher"),
                     LogFormat::Style::Journal, at),
            QByteArray("<4>qt.network.ssl: no cipher\n"));
        QCOMPARE(LogFormat::line(
                     QtInfoMsg, nullptr, QStringLiteral("hello"), LogFormat::Style::Journal, at),
            QByteArray("<6>hello\n"));
    }

    void theJournalIsRecognisedByStderrsInode()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        struct stat status;
        QVERIFY(::fstat(int(file.handle()), &status) == 0);
        const QByteArray mine = QByteArray::number(qulonglong(status.st_dev)) + ':'
            + QByteArray::number(qulonglong(status.st_ino));
        QCOMPARE(LogFormat::detect(mine, int(file.handle())), LogFormat::Style::Journal);
        // Inherited by a process whose stderr went elsewhere: not the journal.
        QTemporaryFile other;
        QVERIFY(other.open());
        QCOMPARE(LogFormat::detect(mine, int(other.handle())), LogFormat::Style::Readable);
        QCOMPARE(LogFormat::detect(QByteArray(), int(file.handle())), LogFormat::Style::Readable);
        QCOMPARE(LogFormat::detect("garbage", int(file.handle())), LogFormat::Style::Readable);
        QCOMPARE(LogFormat::detect(
                     QByteArray::number(qulonglong(status.st_dev)) + ":x", int(file.handle())),
            LogFormat::Style::Readable);
    }
};

QTEST_GUILESS_MAIN(TestLogFormat)
#include "tst_logformat.moc"
