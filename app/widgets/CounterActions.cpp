#include "CounterActions.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QWidget>

namespace Marquee {

CounterActions::CounterActions(QWidget *window)
    : QObject(window)
    , m_window(window)
{
    hold = make(
        tr("&Hold"), {QKeySequence(Qt::CTRL | Qt::Key_H)}, tr("Hold the selection for this sale"));
    // Ctrl+Enter on the keypad too; clerks use both.
    sell = make(tr("&Sell (cash)"),
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)},
        tr("Hold what is selected, then sell the whole sale for cash"));
    keep = make(tr("&More time"), {QKeySequence(Qt::CTRL | Qt::Key_T)},
        tr("Renew the holds of this sale, or hold seats that ran out again"));
    keep->setObjectName(QStringLiteral("moreTime"));
    clear = make(tr("&Clear selection"), {QKeySequence(Qt::Key_Escape)},
        tr("Forget the selection; held seats stay held"));
    // Not Ctrl+Delete, which deletes a word in the seat entry; Esc's big
    // brother, and it asks first.
    cancel = make(tr("Cancel sa&le…"), {QKeySequence(Qt::SHIFT | Qt::Key_Escape)},
        tr("Release everything this sale holds and start over"));
    // Not Ctrl+E, which is "end of line" in a text field on Linux.
    events = make(tr("Go to &events"), {QKeySequence(Qt::CTRL | Qt::Key_F)},
        tr("Move to the event list; arrows or typing pick an event"));
    // The map's zoom from anywhere; on the map itself +, - and 0 do the
    // same, the arrows pan, and so does dragging the floor.
    zoomIn = make(tr("Zoom &in"),
        {QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)},
        tr("Zoom into the seat map (or the wheel, where the pointer is)"));
    zoomOut = make(
        tr("Zoom &out"), {QKeySequence(Qt::CTRL | Qt::Key_Minus)}, tr("Zoom out of the seat map"));
    fit = make(tr("&Whole plan"), {QKeySequence(Qt::CTRL | Qt::Key_0)},
        tr("Show the whole seat map again"));
    input = make(tr("&Type seats or quantity"), {QKeySequence(Qt::CTRL | Qt::Key_L)},
        tr("Move to the seat entry or the ticket quantity"));
    // F5 alone: the platform's Refresh adds Ctrl+R on some desktops.
    reload = make(tr("&Reload events"), {QKeySequence(Qt::Key_F5)},
        tr("Ask the server for the events again"));
    server = make(tr("&Connect to server…"), {}, tr("Change the server address"));
    // F12: no text field uses it, so it locks from anywhere, mid-typing too.
    lock = make(tr("&Lock terminal"), {QKeySequence(Qt::Key_F12)},
        tr("Hide the screen until your password is given again; the sale stays"));
    signOut = make(tr("Sign &out"), {}, tr("End your session; the next clerk signs in"));
    // Ctrl+Q itself: some platforms' Quit has no key at all.
    quit = make(tr("&Quit"), {QKeySequence(Qt::CTRL | Qt::Key_Q)}, tr("Close the counter"));
    // F8: no text field and none of Qt's standard keys (F1, F3, F5, F11)
    // use it, so it opens the trail from anywhere, mid-typing too.
    audit = make(tr("&Audit trail…"), {QKeySequence(Qt::Key_F8)},
        tr("Who did what, when and from where (managers and admins)"));
    audit->setObjectName(QStringLiteral("auditTrail"));
    audit->setEnabled(false);
    // F9: not Ctrl+D, which deletes a character in text fields on Linux.
    door = make(tr("&Door check-in…"), {QKeySequence(Qt::Key_F9)},
        tr("Scan tickets at the door; Esc comes back to selling"));
    door->setObjectName(QStringLiteral("doorCheckIn"));
}

QList<QAction *> CounterActions::all() const
{
    return {hold, sell, keep, clear, cancel, zoomIn, zoomOut, fit, events, input, reload, lock,
        quit, audit, door};
}

QString CounterActions::keysOf(const QAction *action)
{
    return action->shortcut().toString(QKeySequence::NativeText);
}

QAction *CounterActions::make(
    const QString &text, const QList<QKeySequence> &keys, const QString &tip)
{
    auto *action = new QAction(text, this);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WindowShortcut);
    action->setToolTip(tip);
    m_window->addAction(action);
    return action;
}

void CounterActions::addMenus(QMenuBar *menuBar) const
{
    QMenu *serverMenu = menuBar->addMenu(tr("&Server"));
    serverMenu->addAction(server);
    serverMenu->addAction(lock);
    serverMenu->addAction(signOut);
    serverMenu->addAction(reload);
    serverMenu->addSeparator();
    serverMenu->addAction(quit);

    QMenu *saleMenu = menuBar->addMenu(tr("S&ale"));
    saleMenu->addAction(hold);
    saleMenu->addAction(sell);
    saleMenu->addAction(keep);
    saleMenu->addAction(clear);
    saleMenu->addAction(cancel);
    saleMenu->addSeparator();
    saleMenu->addAction(events);
    saleMenu->addAction(input);
    QMenu *viewMenu = menuBar->addMenu(tr("&View"));
    viewMenu->addAction(zoomIn);
    viewMenu->addAction(zoomOut);
    viewMenu->addAction(fit);
    QMenu *doorMenu = menuBar->addMenu(tr("&Door"));
    doorMenu->addAction(door);
    QMenu *managerMenu = menuBar->addMenu(tr("&Manager"));
    managerMenu->addAction(audit);
    for (QMenu *menu : {serverMenu, saleMenu, viewMenu, doorMenu, managerMenu})
        menu->setToolTipsVisible(true);
}

} // namespace Marquee
