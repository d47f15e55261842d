// Public ids and secrets: their form, their randomness, and the hold ids
// that sort by time (so that new rows share index pages).
#include "Tokens.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace Marquee;

class TestTokens : public QObject
{
    Q_OBJECT

private slots:
    void idsAndSecretsHaveTheirForm()
    {
        QVERIFY(QRegularExpression(QStringLiteral("^c_[A-Za-z0-9_-]{22}$"))
                    .match(Tokens::newId(u"c"))
                    .hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{43}$"))
                    .match(Tokens::newSecret())
                    .hasMatch());
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(0x0123456789ab, Qt::UTC);
        const QString id = Tokens::newTimeOrderedId(u"h", at);
        QVERIFY2(QRegularExpression(QStringLiteral("^h_0123456789ab[A-Za-z0-9_-]{22}$"))
                     .match(id)
                     .hasMatch(),
            qPrintable(id));
    }

    void timeOrderedIdsSortByTimeAndNeverRepeat()
    {
        QDateTime at = QDateTime::fromString(QStringLiteral("2026-12-02T16:00:00Z"), Qt::ISODate);
        QStringList ids;
        QSet<QString> seen;
        for (int i = 0; i < 2000; ++i) {
            // Several ids in one millisecond, then the clock moves on.
            if (i % 4 == 0)
                at = at.addMSecs(i % 3 == 0 ? 1 : 977);
            ids.append(Tokens::newTimeOrderedId(u"h", at));
            seen.insert(ids.last());
        }
        QCOMPARE(seen.size(), ids.size());
        // Each millisecond's ids sort after every earlier one's, whatever
        // their random parts.
        for (int i = 4; i < ids.size(); i += 4)
            QVERIFY2(ids.at(i - 1) < ids.at(i), qPrintable(ids.at(i - 1) + u' ' + ids.at(i)));
    }
};

QTEST_GUILESS_MAIN(TestTokens)
#include "tst_tokens.moc"
