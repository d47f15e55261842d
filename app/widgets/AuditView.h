#pragma once

#include "net/ApiTypes.h"

#include <QDialog>

class QComboBox;
class QDateEdit;
class QLabel;
class QLayout;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Marquee {

class ApiClient;
class AuditModel;

/// The audit trail for managers: who did what, when and from where, with
/// a filter row (user, action, event, from and until dates) and a table
/// that reads more pages from the server as it is scrolled.
class AuditView : public QDialog
{
    Q_OBJECT

public:
    explicit AuditView(ApiClient *api, QWidget *parent = nullptr);

    /// The events to filter by (the counter's event list), after "any".
    void setEvents(const QList<EventSummary> &events);
    /// Reads the trail again with what the filter row says (Enter does it too).
    void apply();

    /// The filter the row describes, in UTC instants.
    AuditFilter currentFilter() const;

    /// The actions the server records (server/API.md "Audit trail").
    static const QStringList &knownActions();

    AuditModel *model() const { return m_model; }
    QLineEdit *userField() const { return m_user; }
    QComboBox *actionField() const { return m_action; }
    QComboBox *eventField() const { return m_event; }
    QDateEdit *fromField() const { return m_from; }
    QDateEdit *untilField() const { return m_until; }
    QPushButton *applyButton() const { return m_apply; }
    QTableView *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }

private:
    QLayout *createFilterRow();
    void createTable();
    void refreshStatus();
    void showProblem(const QString &message);

    AuditModel *m_model;
    QLineEdit *m_user;
    QComboBox *m_action;
    QComboBox *m_event;
    QDateEdit *m_from;
    QDateEdit *m_until;
    QPushButton *m_apply;
    QTableView *m_table;
    QLabel *m_status;
};

} // namespace Marquee
