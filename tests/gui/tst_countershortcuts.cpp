// The counter's one table of shortcuts (CounterActions) against the real
// window, signed in to a real server: no shortcut is a key that a text
// field uses for editing or moving, and every one reaches its action from
// every place the keyboard can be — the event list, the seat map, the seat
// entry, a sale button, the quantity box. Wherever focus is, it shows.
// It runs on X11 (Xvfb): offscreen, Qt gives text fields no Linux keys.

#include "CounterFixture.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "model/ServerSettings.h"
#include "net/ApiClient.h"
#include "widgets/CounterActions.h"
#include "widgets/CounterWindow.h"
#include "widgets/EventFinder.h"
#include "widgets/EventList.h"
#include "widgets/FocusRing.h"
#include "widgets/SalePanel.h"
#include "widgets/SeatMapView.h"

#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace Marquee;
using namespace Marquee::Test;

namespace {

const QString Password = QStringLiteral("kim's password");

/// Keeps shortcut events from the actions and counts them, so every key can
/// be pressed without selling, locking or quitting anything.
class ShortcutCatcher : public QObject
{
public:
    QHash<QAction *, int> caught;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Shortcut)
            return false;
        ++caught[qobject_cast<QAction *>(watched)];
        return true;
    }
};

/// The platform's keys for editing and moving in a text field.
QList<QKeySequence> textEditingKeys()
{
    using K = QKeySequence;
    QList<QKeySequence> keys;
    for (K::StandardKey key : {K::Undo, K::Redo, K::Cut, K::Copy, K::Paste, K::SelectAll,
             K::Deselect, K::Delete, K::Backspace, K::DeleteStartOfWord, K::DeleteEndOfWord,
             K::DeleteEndOfLine, K::DeleteCompleteLine, K::MoveToNextChar, K::MoveToPreviousChar,
             K::MoveToNextWord, K::MoveToPreviousWord, K::MoveToNextLine, K::MoveToPreviousLine,
             K::MoveToNextPage, K::MoveToPreviousPage, K::MoveToStartOfLine, K::MoveToEndOfLine,
             K::MoveToStartOfBlock, K::MoveToEndOfBlock, K::MoveToStartOfDocument,
             K::MoveToEndOfDocument, K::SelectNextChar, K::SelectPreviousChar, K::SelectNextWord,
             K::SelectPreviousWord, K::SelectNextLine, K::SelectPreviousLine, K::SelectNextPage,
             K::SelectPreviousPage, K::SelectStartOfLine, K::SelectEndOfLine, K::SelectStartOfBlock,
             K::SelectEndOfBlock, K::SelectStartOfDocument, K::SelectEndOfDocument,
             K::InsertParagraphSeparator, K::InsertLineSeparator})
        keys.append(K::keyBindings(key));
    return keys;
}

} // namespace

class TestCounterShortcuts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_databases.start(), qPrintable(m_databases.error()));
        m_server = std::make_unique<TestServer>(m_databases.fresh());
        QVERIFY2(m_server->start(), qPrintable(m_server->error()));
        m_server->addUser(QStringLiteral("kim"), Password, Role::Clerk);
        m_store = std::make_unique<QSettings>(
            m_dir.filePath(QStringLiteral("counter.ini")), QSettings::IniFormat);
        m_settings = std::make_unique<ServerSettings>(m_store.get());
        m_window = std::make_unique<CounterWindow>(&m_api, m_settings.get());
        CounterFixture::signIn(*m_window, m_server->httpUrl(), QStringLiteral("kim"), Password);
        m_actions = m_window->findChild<CounterActions *>();
        m_panel = m_window->findChild<SalePanel *>();
        QVERIFY(m_actions && m_panel);
    }

    void noShortcutIsATextEditingKey()
    {
        const QList<QKeySequence> editing = textEditingKeys();
        QVERIFY(editing.contains(QKeySequence(Qt::CTRL | Qt::Key_Delete)));
        QList<QKeySequence> seen;
        for (const QAction *action : m_actions->all()) {
            QVERIFY2(!action->shortcuts().isEmpty(), qPrintable(action->text()));
            for (const QKeySequence &key : action->shortcuts()) {
                QVERIFY2(!editing.contains(key), qPrintable(key.toString()));
                QVERIFY2(!seen.contains(key), qPrintable(key.toString())); // one action per key
                seen.append(key);
            }
        }
    }

    void everyShortcutWorksFromEveryFocus_data()
    {
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("place");
        QTest::newRow("event list") << "Breakfast"
                                    << "events";
        QTest::newRow("seat map") << "Breakfast"
                                  << "map";
        QTest::newRow("seat entry") << "Breakfast"
                                    << "seats";
        QTest::newRow("sell button") << "Breakfast"
                                     << "button";
        QTest::newRow("quantity box") << "Open Air"
                                      << "quantity";
    }

    void everyShortcutWorksFromEveryFocus()
    {
        QFETCH(QString, event);
        QFETCH(QString, place);
        QWidget *focus = focusPlace(event, place);
        QVERIFY(focus);
        ShortcutCatcher catcher;
        for (QAction *action : m_actions->all())
            action->installEventFilter(&catcher);
        for (QAction *action : m_actions->all()) {
            action->setEnabled(true); // the catcher keeps it from doing anything
            for (const QKeySequence &key : action->shortcuts()) {
                catcher.caught.clear();
                focus->setFocus();
                QTRY_COMPARE(QApplication::focusWidget(), focus);
                QTest::keySequence(focus, key);
                QVERIFY2(catcher.caught.value(action) == 1 && catcher.caught.size() == 1,
                    qPrintable(key.toString()));
            }
        }
        for (QAction *action : m_actions->all())
            action->removeEventFilter(&catcher);
        m_panel->seatEntry()->clear();
    }

    // What the keys do that the catcher kept from running: Ctrl+F from the
    // seat entry and from the quantity box goes to the event list, Ctrl+L
    // back to where seats or tickets are typed.
    void goToEventsAndBack()
    {
        QLineEdit *entry = qobject_cast<QLineEdit *>(
            focusPlace(QStringLiteral("Breakfast"), QStringLiteral("seats")));
        QVERIFY(entry);
        QLineEdit *search = m_window->findChild<EventFinder *>()->search();
        QTest::keyClick(entry, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), search);
        QTest::keyClick(search, Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), entry);

        QSpinBox *quantity = qobject_cast<QSpinBox *>(
            focusPlace(QStringLiteral("Open Air"), QStringLiteral("quantity")));
        QVERIFY(quantity);
        QTRY_VERIFY_WITH_TIMEOUT(quantity->maximum() > quantity->value(), 10000); // Up would count
        const int before = quantity->value();
        QTest::keyClick(quantity, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget(), search);
        // The next arrow goes where the focus went, not to the quantity.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Up);
        QCOMPARE(quantity->value(), before);
    }

    void focusShowsEverywhere_data() { everyShortcutWorksFromEveryFocus_data(); }

    void focusShowsEverywhere()
    {
        QFETCH(QString, event);
        QFETCH(QString, place);
        QWidget *focus = focusPlace(event, place);
        QVERIFY(focus);
        // Focus elsewhere, then here: the widget must look different.
        QWidget *other = place == QLatin1String("events")
            ? static_cast<QWidget *>(m_window->seatMap())
            : m_window->findChild<EventList *>();
        other->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), other);
        const QImage without = focus->grab().toImage();
        if (place == QLatin1String("button")) {
            // Buttons show focus to keyboard users, who reach them by Tab.
            m_panel->seatEntry()->setFocus();
            for (int tab = 0; tab < 20 && QApplication::focusWidget() != focus; ++tab)
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        } else {
            focus->setFocus();
        }
        QTRY_COMPARE(QApplication::focusWidget(), focus);
        QTRY_VERIFY(focus->grab().toImage() != without);
        // The map and the event list draw the page's focus ring themselves.
        if (auto *view = qobject_cast<QAbstractScrollArea *>(focus)) {
            const QImage image = view->viewport()->grab().toImage();
            QCOMPARE(image.pixelColor(2, image.height() / 2), FocusRing::colour());
        }
        if (place == QLatin1String("map"))
            CounterFixture::saveScreenshot(*m_window, QStringLiteral("counter-map-focus.png"));
    }

private:
    /// Opens \a event and gives back the widget at \a place, shown and ready.
    QWidget *focusPlace(const QString &event, const QString &place)
    {
        CounterFixture::openEvent(*m_window, event);
        if (QTest::currentTestFailed())
            return nullptr;
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            return nullptr;
        QWidget *widget = nullptr;
        if (place == QLatin1String("search"))
            widget = m_window->findChild<EventFinder *>()->search();
        else if (place == QLatin1String("events"))
            widget = m_window->findChild<EventList *>();
        else if (place == QLatin1String("map"))
            widget = m_window->seatMap();
        else if (place == QLatin1String("seats"))
            widget = m_panel->seatEntry();
        else if (place == QLatin1String("quantity"))
            widget = m_panel->quantity();
        else if (place == QLatin1String("button")) {
            // A seat picked, so that Sell is enabled and can take focus.
            SeatMapView *map = m_window->seatMap();
            map->clearSelection();
            const auto freeSeat = [map] {
                const QStringList labels = map->seatLabels();
                const auto seat = std::find_if(labels.cbegin(), labels.cend(),
                    [map](const QString &label) { return map->isSelectable(label); });
                return seat == labels.cend() ? QString() : *seat;
            };
            if (!QTest::qWaitFor([&] { return !freeSeat().isEmpty(); }, 10000)
                || !map->select({freeSeat()}).isEmpty())
                return nullptr;
            for (QPushButton *button : m_panel->findChildren<QPushButton *>()) {
                if (button->text() == m_actions->sell->text())
                    widget = button;
            }
        }
        if (!widget)
            return nullptr;
        if (!QTest::qWaitFor([widget] { return widget->isVisible(); }, 10000))
            return nullptr;
        if (place == QLatin1String("map")
            && !QTest::qWaitFor([this] { return m_window->seatMap()->hasPlan(); }, 10000))
            return nullptr;
        return widget;
    }

    TestDatabases m_databases;
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_store;
    std::unique_ptr<ServerSettings> m_settings;
    ApiClient m_api;
    std::unique_ptr<CounterWindow> m_window;
    CounterActions *m_actions = nullptr;
    SalePanel *m_panel = nullptr;
};

QTEST_MAIN(TestCounterShortcuts)
#include "tst_countershortcuts.moc"
