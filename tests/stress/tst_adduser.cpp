// `marquee-server --add-user NAME --role ROLE`, the real program: the
// password comes on standard input, only its argon2id hash is stored, and
// running it again for the same name changes password and role.
#include "Clock.h"
#include "Passwords.h"
#include "ServerProcess.h"
#include "Storage.h"
#include "TestDatabases.h"
#include "Users.h"

#include <QtTest>

using namespace Marquee;
using namespace Marquee::Test;

class TestAddUser : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString problem = ServerProcess::programProblem();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
    }

    void createsThenUpdates()
    {
        const DatabaseConfig database = m_databases.fresh();
        QCOMPARE(addUser(database, QStringLiteral("alice"), QStringLiteral("manager"),
                     "first password\n"),
            0);
        auto alice = find(database, QStringLiteral("alice"));
        QVERIFY(alice);
        QCOMPARE(alice->role, Role::Manager);
        QVERIFY(Passwords::verify(alice->passwordHash, QStringLiteral("first password")));

        QCOMPARE(addUser(database, QStringLiteral("alice"), QStringLiteral("clerk"),
                     "second password\r\n"),
            0);
        alice = find(database, QStringLiteral("alice"));
        QCOMPARE(alice->role, Role::Clerk);
        QVERIFY(Passwords::verify(alice->passwordHash, QStringLiteral("second password")));
        QVERIFY(!Passwords::verify(alice->passwordHash, QStringLiteral("first password")));
    }

    void refusesBadInput_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("role");
        QTest::addColumn<QByteArray>("input");
        QTest::addRow("short password")
            << QStringLiteral("bob") << QStringLiteral("clerk") << QByteArray("short\n");
        QTest::addRow("no password")
            << QStringLiteral("bob") << QStringLiteral("clerk") << QByteArray();
        QTest::addRow("bad name") << QStringLiteral("bob smith") << QStringLiteral("clerk")
                                  << QByteArray("long enough\n");
        QTest::addRow("bad role") << QStringLiteral("bob") << QStringLiteral("boss")
                                  << QByteArray("long enough\n");
    }

    void refusesBadInput()
    {
        QFETCH(QString, name);
        QFETCH(QString, role);
        QFETCH(QByteArray, input);
        const DatabaseConfig database = m_databases.fresh();
        QCOMPARE(addUser(database, name, role, input), 2);
        QCOMPARE(userCount(database), 0);
    }

private:
    static int addUser(
        const DatabaseConfig &database, const QString &name, const QString &role, QByteArray input)
    {
        const auto result = ServerProcess::runServer(
            {QStringLiteral("--db"), ServerProcess::dbArgument(database),
                QStringLiteral("--add-user"), name, QStringLiteral("--role"), role},
            input);
        if (result.exitCode != 0)
            qInfo("%s", qPrintable(result.output));
        return result.exitCode;
    }

    std::optional<Users::User> find(const DatabaseConfig &database, const QString &name)
    {
        Storage storage(database, m_clock);
        QString error;
        if (!storage.open(&error))
            return std::nullopt;
        return storage.runBlocking<std::optional<Users::User>>(
            [name](StorageSession &s) { return Users(s.db, s.clock).find(name); });
    }

    int userCount(const DatabaseConfig &database)
    {
        Storage storage(database, m_clock);
        QString error;
        if (!storage.open(&error))
            return -1;
        return storage.runBlocking<int>(
            [](StorageSession &s) { return Users(s.db, s.clock).count(); });
    }

    TestDatabases m_databases;
    ManualClock m_clock;
};

QTEST_GUILESS_MAIN(TestAddUser)
#include "tst_adduser.moc"
