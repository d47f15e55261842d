#pragma once

#include <QObject>

class QAction;
class QMenuBar;
class QWidget;

namespace Marquee {

/// The counter's commands with their shortcuts: the one table of the
/// counter's keys, so the menus, the sale panel's buttons and the tooltips
/// always agree. The actions live on the window, so their shortcuts work
/// wherever focus is; none of them is a key the seat entry, the quantity
/// box or the event list uses for editing or moving (Ctrl+E, Ctrl+Delete,
/// Ctrl+K, … are theirs), or a field would swallow it.
class CounterActions : public QObject
{
    Q_OBJECT

public:
    explicit CounterActions(QWidget *window);

    void addMenus(QMenuBar *menuBar) const;
    /// Every action that has a shortcut, for the keys' own tests.
    QList<QAction *> all() const;
    /// "Ctrl+F" for \a action, as the clerk's keyboard names it.
    static QString keysOf(const QAction *action);

    QAction *hold;
    QAction *sell;
    /// More time for the holds, or the lapsed ones held again.
    QAction *keep;
    QAction *clear;
    QAction *cancel;
    QAction *zoomIn;
    QAction *zoomOut;
    QAction *fit;
    QAction *events;
    QAction *input;
    QAction *reload;
    QAction *server;
    QAction *lock;
    QAction *signOut;
    QAction *quit;
    /// Managers and admins only; the window enables it by the session's role.
    QAction *audit;
    /// Opens door check-in (DoorView); Escape there comes back to selling.
    QAction *door;

private:
    QAction *make(const QString &text, const QList<QKeySequence> &keys, const QString &tip);

    QWidget *m_window;
};

} // namespace Marquee
