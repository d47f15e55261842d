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

class CounterActions;

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
        Warning,
        Problem
    };
    /// Why a notice is shown, so it goes when its cause does: a typing
    /// mistake once the entry is right, "cannot be reached" once the server
    /// answers. Step notices stay until the clerk's next step.
    enum class Cause
    {
        Step,
        Entry,
        Connection,
        Expiry,
        SignIn
    };
    /// How a line of the holds looks: running out soon, or ran out.
    enum class Tone
    {
        Normal,
        Warning,
        Lapsed
    };

    explicit SalePanel(QWidget *parent = nullptr);

    /// Buttons mirror the window's sale actions (text, shortcut tooltip,
    /// enabled); the hints name the keys of \a actions.
    void setActions(const CounterActions &actions);

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
        Tone tone = Tone::Normal;
    };

    void setSelectionLines(const QList<Line> &lines);
    void setCounts(int available, int capacity);
    void setHoldLines(const QList<Line> &lines);
    void setHoldsTitle(const QString &title);
    void setTotal(const QString &total);
    void showNotice(Notice kind, const QString &text, Cause cause = Cause::Step);
    /// Hides the notice, whatever its cause.
    void clearNotice();
    /// Hides the notice if \a cause is why it shows.
    void clearNotice(Cause cause);

    QLineEdit *seatEntry() const { return m_seatEntry; }
    QSpinBox *quantity() const { return m_quantity; }
    /// The notice as shown; empty when hidden.
    QString noticeText() const;
    QTreeWidget *holdsView() const { return m_holds; }
    QString holdsTitle() const;

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
    Cause m_noticeCause = Cause::Step;
    QString m_eventsKeys; ///< the shortcut to the event list, for hints
    QWidget *m_buttons;
};

} // namespace Marquee
