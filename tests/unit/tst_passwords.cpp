// Staff passwords: argon2id through libsodium, with its limits for logins.
#include "Passwords.h"

#include <QtTest>

using namespace Marquee;

class TestPasswords : public QObject
{
    Q_OBJECT

private slots:
    void hashIsArgon2idAndSalted()
    {
        const QString first = Passwords::hash(QStringLiteral("correct horse"));
        const QString second = Passwords::hash(QStringLiteral("correct horse"));
        // libsodium's string form: algorithm, version, memory (64 MiB) and
        // passes of its interactive limits, salt, hash.
        QVERIFY2(
            first.startsWith(QLatin1String("$argon2id$v=19$m=65536,t=2,p=1$")), qPrintable(first));
        QVERIFY(first != second); // a salt of its own each time
        QVERIFY(!first.contains(QLatin1String("correct")));
    }

    void verifyTellsRightFromWrong()
    {
        const QString password = QStringLiteral("Zwölf Boxkämpfer jagen Viktor");
        const QString hash = Passwords::hash(password);
        QVERIFY(Passwords::verify(hash, password));
        QVERIFY(!Passwords::verify(hash, password + u'!'));
        QVERIFY(!Passwords::verify(hash, QString()));
        QVERIFY(!Passwords::verify(QString(), password));
        QVERIFY(!Passwords::verify(QStringLiteral("$argon2id$garbage"), password));
    }

    void problem_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("acceptable");
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("7 characters") << QStringLiteral("1234567") << false;
        QTest::addRow("8 characters") << QStringLiteral("12345678") << true;
        QTest::addRow("1024 characters") << QString(1024, u'x') << true;
        QTest::addRow("1025 characters") << QString(1025, u'x') << false;
    }

    void problem()
    {
        QFETCH(QString, password);
        QFETCH(bool, acceptable);
        QCOMPARE(Passwords::problem(password).isEmpty(), acceptable);
    }
};

QTEST_GUILESS_MAIN(TestPasswords)
#include "tst_passwords.moc"
