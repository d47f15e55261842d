#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTreeWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace Marquee {

/// The right-hand side of the counter window: what the customer is about to
/// buy (the selection or a quantity), what this sale already holds, the total
/// to take, the Hold and Sell buttons, and one line of news about the last
/// step (taken seats, a finished sale). It shows; the window decides.
class SalePanel : public QWidget
{
    Q_OBJECT

public:
    enum class Notice
    {
        Info,
        Success,
        Problem
    };

    explicit SalePanel(QWidget *parent = nullptr);

    /// Buttons mirror the window's actions (text, shortcut tooltip, enabled).
    void setActions(QAction *hold, QAction *sell, QAction *clear, QAction *cancel);

    void setEventTitle(const QString &name, const QString &details);
    /// Seat entry for seated events, quantity for general admission, or
    /// neither when no event is open.
    void showSeatEntry();
    void showQuantity(int maximum);
    void showNoEvent();

    /// One line of the selection or of the holds: what, and its amount.
    struct Line
    {
        QString text;
        QString amount;
    };

    void setSelectionLines(const QList<Line> &lines);
    void setCounts(int available, int capacity);
    void setHoldLines(const QList<Line> &lines);
    void setTotal(const QString &total);
    void showNotice(Notice kind, const QString &text);
    void clearNotice();

    QLineEdit *seatEntry() const { return m_seatEntry; }
    QSpinBox *quantity() const { return m_quantity; }

signals:
    /// The clerk pressed Return in the seat entry.
    void seatsTyped(const QString &text);
    void quantityChanged(int quantity);

private:
    QPushButton *bind(QAction *action);

    QLabel *m_eventName;
    QLabel *m_eventDetails;
    QStackedWidget *m_input;
    QLineEdit *m_seatEntry;
    QSpinBox *m_quantity;
    QLabel *m_counts;
    QLabel *m_selectionTitle;
    QTreeWidget *m_selection;
    QLabel *m_holdsTitle;
    QTreeWidget *m_holds;
    QLabel *m_total;
    QLabel *m_notice;
    QWidget *m_buttons;
};

} // namespace Marquee
