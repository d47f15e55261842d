// The audit trail in the counter app against a real in-process server, with
// real widgets offscreen: a manager opens it from the counter window and
// sees who did what; the filters by user, action, event and date change the
// rows; pages arrive as the table asks for them; a clerk is not offered it
// and the server's refusal reads plainly; locking the terminal closes it.

#include "CounterFixture.h"
#include "HttpClient.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "model/AuditModel.h"
#include "model/MoneyFormat.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "widgets/AuditView.h"
#include "widgets/CounterWindow.h"
#include "widgets/SessionGuard.h"
#include "widgets/SignInDialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Marquee;
using namespace Marquee::Test;
using CounterFixture::saveScreenshot;

namespace {

const QString Password = QStringLiteral("a password for the test");

struct Row
{
    QString user;
    QString action;
    QString subject;
    QString details;
};

QList<Row> rowsOf(const AuditModel &model)
{
    QList<Row> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto text = [&](int column) { return model.index(row, column).data().toString(); };
        rows.append({text(AuditModel::User), text(AuditModel::Action), text(AuditModel::Subject),
            text(AuditModel::Details)});
    }
    return rows;
}

QStringList actionsOf(const QList<Row> &rows)
{
    QStringList actions;
    for (const Row &row : rows)
        actions.append(row.action);
    return actions;
}

} // namespace

class TestAuditView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void managerSeesWhoDidWhat();
    void filtersChangeTheRows();
    void pagesArriveOnFetchMore();
    void clerkIsNotOfferedTheTrail();
    void lockingClosesTheTrail();

private:
    void makeEntries();
    /// The ids the server has for \a query (the truth the view must show).
    QList<qint64> serverIds(const QString &query);
    QList<qint64> idsOf(const AuditModel &model) const;
    void signIn(CounterWindow &window, const QString &user);
    AuditView *openTrail(CounterWindow &window);

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServerSettings> m_settings;
    QString m_seatHold;
    QString m_placesHold;
    QString m_order;
    qint64 m_orderTotal = 0;
};

void TestAuditView::initTestCase()
{
    QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
    m_server = std::make_unique<TestServer>(m_databases.fresh());
    QVERIFY2(m_server->start(), qPrintable(m_server->error()));
    m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    m_server->addUser(QStringLiteral("mona"), Password, Role::Manager);
    m_server->addUser(QStringLiteral("carl"), Password, Role::Clerk);
    m_server->addUser(QStringLiteral("ada"), Password, Role::Admin);
    m_store = std::make_unique<QSettings>(
        m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
    m_settings = std::make_unique<ServerSettings>(m_store.get());
    m_settings->setServer(m_server->httpUrl());
    makeEntries();
}

void TestAuditView::makeEntries()
{
    // carl sells a seat; a customer holds two standing places and lets
    // them go; ada, an admin, makes dora and promotes her.
    const QString carl = m_http->signIn(QStringLiteral("carl"), Password);
    QVERIFY(!carl.isEmpty());
    const auto [cart, token] = m_http->newCart();
    m_seatHold
        = m_http->holdSeats(cart, token, QStringLiteral("breakfast-ii"), {QStringLiteral("C3")})
              .json()
              .value(QLatin1String("hold"))
              .toString();
    QVERIFY(!m_seatHold.isEmpty());
    const QJsonObject sale = m_http->sellCash(cart, carl).json();
    m_order = sale.value(QLatin1String("order")).toString();
    m_orderTotal = sale.value(QLatin1String("total")).toInteger();
    QVERIFY(!m_order.isEmpty());

    const auto [other, otherToken] = m_http->newCart();
    m_placesHold = m_http->holdPlaces(other, otherToken, QStringLiteral("open-air"), 2)
                       .json()
                       .value(QLatin1String("hold"))
                       .toString();
    QVERIFY(!m_placesHold.isEmpty());
    QCOMPARE(
        m_http->del(
                  QStringLiteral("/api/v1/carts/%1/holds/%2").arg(other, m_placesHold), otherToken)
            .status,
        204);

    const QString admin = m_http->signIn(QStringLiteral("ada"), Password);
    QVERIFY(!admin.isEmpty());
    QCOMPARE(m_http
                 ->post(QStringLiteral("/api/v1/users"),
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("dora")},
                         {QStringLiteral("password"), QStringLiteral("dora's password")},
                         {QStringLiteral("role"), QStringLiteral("clerk")}},
                     admin)
                 .status,
        201);
    QCOMPARE(m_http
                 ->patch(QStringLiteral("/api/v1/users/dora"),
                     {{QStringLiteral("role"), QStringLiteral("manager")}}, admin)
                 .status,
        200);
}

void TestAuditView::managerSeesWhoDidWhat()
{
    ApiClient api;
    CounterWindow window(&api, m_settings.get());
    signIn(window, QStringLiteral("mona"));
    window.show();
    window.reloadEvents();
    AuditView *view = openTrail(window);
    QVERIFY(view);
    QVERIFY(view->isVisible());
    AuditModel *model = view->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 10000);
    QCOMPARE(idsOf(*model), serverIds(QString()));

    const QList<Row> rows = rowsOf(*model);
    const auto find = [&rows](const QString &action, const QString &subject) {
        for (const Row &row : rows) {
            if (row.action == action && row.subject == subject)
                return row;
        }
        return Row{};
    };
    QCOMPARE(find(QStringLiteral("order.sell"), m_order).user, QStringLiteral("carl"));
    QCOMPARE(
        find(QStringLiteral("session.open"), QStringLiteral("carl")).user, QStringLiteral("carl"));
    QCOMPARE(
        find(QStringLiteral("session.open"), QStringLiteral("mona")).user, QStringLiteral("mona"));
    QVERIFY(find(QStringLiteral("hold.create"), m_seatHold).user.startsWith(u"cart:"));
    QVERIFY(find(QStringLiteral("hold.create"), m_seatHold).details.contains(u"C3"));
    QVERIFY(
        find(QStringLiteral("hold.create"), m_seatHold).details.startsWith(u"event breakfast-ii"));
    QCOMPARE(find(QStringLiteral("user.role"), QStringLiteral("dora")).user, QStringLiteral("ada"));
    QCOMPARE(find(QStringLiteral("user.role"), QStringLiteral("dora")).details,
        QStringLiteral("clerk → manager"));
    // Every demo event is in euros, so the sale's amount reads as money.
    QTRY_VERIFY_WITH_TIMEOUT(view->eventField()->count() > 1, 10000);
    QCOMPARE(view->eventField()->itemText(0), QStringLiteral("any event"));
    QVERIFY(view->eventField()->findData(QStringLiteral("open-air")) > 0);
    const QList<Row> again = rowsOf(*model);
    const auto sale = std::find_if(again.cbegin(), again.cend(), [this](const Row &row) {
        return row.action == QLatin1String("order.sell") && row.subject == m_order;
    });
    QVERIFY(sale != again.cend());
    QVERIFY2(sale->details.contains(MoneyFormat().format(m_orderTotal, QStringLiteral("EUR"))),
        qPrintable(sale->details));
    QCOMPARE(view->statusLabel()->text(), QStringLiteral("%1 entries").arg(model->rowCount()));
    // The time column is the terminal's local time of the entry, to the second.
    const AuditEntry &first = model->entry(0);
    QCOMPARE(first.at.timeSpec(), Qt::UTC);
    QVERIFY(model->index(0, AuditModel::Time)
                .data()
                .toString()
                .endsWith(first.at.toLocalTime().time().toString(QStringLiteral("HH:mm:ss"))));
    view->table()->setFocus();
    saveScreenshot(*view, QStringLiteral("audit.png"));
}

void TestAuditView::filtersChangeTheRows()
{
    ApiClient api;
    CounterWindow window(&api, m_settings.get());
    signIn(window, QStringLiteral("mona"));
    window.show();
    window.reloadEvents();
    AuditView *view = openTrail(window);
    QVERIFY(view);
    AuditModel *model = view->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 10000);
    const int everything = model->rowCount();

    // By user, applied with Enter in the field.
    view->userField()->setFocus();
    QTest::keyClicks(view->userField(), QStringLiteral("carl"));
    QTest::keyClick(view->userField(), Qt::Key_Return);
    QCOMPARE(model->filter().actor, QStringLiteral("carl"));
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 10000);
    QCOMPARE(idsOf(*model), serverIds(QStringLiteral("actor=carl")));
    QStringList actions = actionsOf(rowsOf(*model));
    actions.sort();
    QCOMPARE(actions, QStringList({QStringLiteral("order.sell"), QStringLiteral("session.open")}));
    QVERIFY(model->rowCount() < everything);

    // By action, typed into the editable list and applied with Enter.
    view->userField()->clear();
    QCOMPARE(view->actionField()->findText(QStringLiteral("user.role")) > 0, true);
    view->actionField()->setFocus();
    QTest::keyClicks(view->actionField()->lineEdit(), QStringLiteral("hold.create"));
    QTest::keyClick(view->actionField()->lineEdit(), Qt::Key_Return);
    QCOMPARE(model->filter().action, QStringLiteral("hold.create"));
    QCOMPARE(model->filter().actor, QString());
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 10000);
    QCOMPARE(idsOf(*model), serverIds(QStringLiteral("action=hold.create")));
    QCOMPARE(actionsOf(rowsOf(*model)),
        QStringList({QStringLiteral("hold.create"), QStringLiteral("hold.create")}));
    QCOMPARE(view->actionField()->count(), AuditView::knownActions().size() + 1); // nothing added

    // By event: only the standing places' hold and its release.
    view->actionField()->setCurrentIndex(0);
    QCOMPARE(view->actionField()->currentText(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(view->eventField()->count() > 1, 10000);
    view->eventField()->setCurrentIndex(view->eventField()->findData(QStringLiteral("open-air")));
    view->eventField()->setFocus();
    QTest::keyClick(view->eventField(), Qt::Key_Return);
    QCOMPARE(model->filter().event, QStringLiteral("open-air"));
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 10000);
    QCOMPARE(idsOf(*model), serverIds(QStringLiteral("event=open-air")));
    const QList<Row> places = rowsOf(*model);
    QCOMPARE(actionsOf(places),
        QStringList({QStringLiteral("hold.create"), QStringLiteral("hold.release")}));
    for (const Row &row : places)
        QCOMPARE(row.subject, m_placesHold);

    // By date: yesterday has nothing; the bounds are whole local days in UTC.
    view->eventField()->setCurrentIndex(0);
    const QDate yesterday = QDate::currentDate().addDays(-1);
    view->fromField()->setDate(yesterday);
    view->untilField()->setDate(yesterday);
    QCOMPARE(view->currentFilter().from, yesterday.startOfDay().toUTC());
    QCOMPARE(view->currentFilter().until, QDate::currentDate().startOfDay().toUTC());
    QCOMPARE(view->currentFilter().from.timeSpec(), Qt::UTC);
    view->applyButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 10000);
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(view->statusLabel()->text(), QStringLiteral("No entries match this filter."));
    view->untilField()->setDate(QDate::currentDate());
    view->applyButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete() && model->rowCount() > 0, 10000);
    QCOMPARE(idsOf(*model), serverIds(QString()));
}

void TestAuditView::pagesArriveOnFetchMore()
{
    ApiClient api;
    QVERIFY(api.session().token.isEmpty());
    api.setServer(m_server->httpUrl());
    std::optional<ApiResult<StaffSession>> signedIn;
    api.signIn(QStringLiteral("mona"), Password, this,
        [&signedIn](const ApiResult<StaffSession> &result) { signedIn = result; });
    QTRY_VERIFY_WITH_TIMEOUT(signedIn.has_value(), 10000);
    QVERIFY(signedIn->ok());
    const QList<qint64> all = serverIds(QString());
    QVERIFY(all.size() > 6);

    // The model alone: one page per request, the next only when asked.
    AuditModel model(&api);
    model.setPageSize(3);
    QVERIFY(!model.canFetchMore({}));
    model.load({});
    QVERIFY(!model.canFetchMore({})); // a page is on its way
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.canFetchMore({}));
    QVERIFY(!model.isComplete());
    model.fetchMore({});
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
    QCOMPARE(model.rowCount(), 6);
    while (model.canFetchMore({})) {
        const int before = model.rowCount();
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10000);
        QVERIFY(model.rowCount() > before || model.isComplete());
    }
    QVERIFY(model.isComplete());
    QCOMPARE(idsOf(model), all);

    // In the view: the table asks for pages itself until its rows fill the
    // screen or the trail ends, and says how many it has.
    AuditView view(&api);
    view.model()->setPageSize(2);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.apply();
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowCount() > 2, 10000);
    view.table()->scrollToBottom();
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->isComplete(), 10000);
    QCOMPARE(idsOf(*view.model()), all);
    QTRY_COMPARE(view.statusLabel()->text(), QStringLiteral("%1 entries").arg(all.size()));
}

void TestAuditView::clerkIsNotOfferedTheTrail()
{
    ApiClient api;
    CounterWindow window(&api, m_settings.get());
    auto *audit = window.findChild<QAction *>(QStringLiteral("auditTrail"));
    QVERIFY(audit);
    QVERIFY(!audit->isEnabled()); // nobody signed in yet
    signIn(window, QStringLiteral("carl"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(api.session().role, QStringLiteral("clerk"));
    QVERIFY(!audit->isEnabled());
    QCOMPARE(audit->shortcut(), QKeySequence(Qt::Key_F8));
    QTest::keyClick(&window, Qt::Key_F8);
    audit->trigger();
    QVERIFY(!window.findChild<AuditView *>());

    // Should a clerk reach the trail anyway, the server refuses and the
    // view says why in words.
    std::optional<ApiResult<AuditPage>> refused;
    api.fetchAudit(
        {}, 0, 10, this, [&refused](const ApiResult<AuditPage> &result) { refused = result; });
    QTRY_VERIFY_WITH_TIMEOUT(refused.has_value(), 10000);
    QVERIFY(!refused->ok());
    QCOMPARE(refused->error.status, 403);
    QCOMPARE(refused->error.message,
        QStringLiteral("Only managers and admins may read the audit trail."));
    AuditView view(&api);
    view.apply();
    QTRY_COMPARE_WITH_TIMEOUT(view.statusLabel()->text(),
        QStringLiteral("Only managers and admins may read the audit trail."), 10000);
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY(!view.model()->canFetchMore({})); // no retry loop on a refusal
}

void TestAuditView::lockingClosesTheTrail()
{
    ApiClient api;
    CounterWindow window(&api, m_settings.get());
    signIn(window, QStringLiteral("mona"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *audit = window.findChild<QAction *>(QStringLiteral("auditTrail"));
    QVERIFY(audit->isEnabled());
    QTest::keyClick(&window, Qt::Key_F8); // the shortcut opens it too
    QTRY_VERIFY(window.findChild<AuditView *>());
    QVERIFY(window.findChild<AuditView *>()->isVisible());

    bool checked = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<SignInDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        // Locked: the trail, a window of its own, is gone, not just covered.
        QVERIFY(!window.findChild<AuditView *>());
        checked = true;
        dialog->passwordField()->setText(Password);
        dialog->signInButton()->click();
    });
    QTest::keyClick(&window, Qt::Key_F12);
    QVERIFY(checked);
    QVERIFY(audit->isEnabled()); // the same manager again
}

QList<qint64> TestAuditView::serverIds(const QString &query)
{
    const HttpClient::Response answer
        = m_http->get(QStringLiteral("/api/v1/audit?limit=500&") + query, m_server->staffToken());
    if (answer.status != 200)
        QTest::qFail("GET /api/v1/audit was refused", __FILE__, __LINE__);
    QList<qint64> ids;
    const QJsonArray entries = answer.json().value(QLatin1String("entries")).toArray();
    for (const QJsonValue &entry : entries)
        ids.append(entry.toObject().value(QLatin1String("id")).toInteger());
    return ids;
}

QList<qint64> TestAuditView::idsOf(const AuditModel &model) const
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(model.index(row, 0).data(AuditModel::EntryIdRole).toLongLong());
    return ids;
}

void TestAuditView::signIn(CounterWindow &window, const QString &user)
{
    CounterFixture::signIn(window, m_server->httpUrl(), user, Password);
}

AuditView *TestAuditView::openTrail(CounterWindow &window)
{
    auto *audit = window.findChild<QAction *>(QStringLiteral("auditTrail"));
    if (!audit || !audit->isEnabled())
        return nullptr;
    audit->trigger();
    return window.findChild<AuditView *>();
}

QTEST_MAIN(TestAuditView)
#include "tst_auditview.moc"
