#pragma once

#include <QObject>

class QAction;
class QMenuBar;
class QWidget;

namespace Marquee {

/// The counter's commands with their shortcuts, made in one place so the
/// menus, the sale panel's buttons and the tooltips always agree. The
/// actions live on the window, so their shortcuts work wherever focus is.
class CounterActions : public QObject
{
    Q_OBJECT

public:
    explicit CounterActions(QWidget *window);

    void addMenus(QMenuBar *menuBar) const;

    QAction *hold;
    QAction *sell;
    QAction *clear;
    QAction *cancel;
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
