#include "AuditView.h"

#include "model/AuditModel.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Marquee {

namespace {
// The default range: a week up to today covers "what happened at the last
// shows" without asking the server for the whole history.
constexpr int DefaultDays = 7;
constexpr int MaxColumnWidth = 180;
constexpr int ColumnPadding = 12;
} // namespace

AuditView::AuditView(ApiClient *api, QWidget *parent)
    : QDialog(parent)
    , m_model(new AuditModel(api, this))
    , m_user(new QLineEdit(this))
    , m_action(new QComboBox(this))
    , m_event(new QComboBox(this))
    , m_from(new QDateEdit(this))
    , m_until(new QDateEdit(this))
    , m_apply(new QPushButton(tr("&Apply"), this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("auditView"));
    setWindowTitle(tr("Audit trail"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    setModal(false);
    createTable();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(createFilterRow());
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);

    connect(m_model, &AuditModel::pageLoaded, this, [this] {
        // Fit the columns to the first page; later pages keep the widths
        // so the table does not jump while it is scrolled.
        if (m_model->rowCount() <= m_model->pageSize()) {
            for (int column = 0; column < AuditModel::Details; ++column) {
                m_table->resizeColumnToContents(column);
                // A little air between columns; cart ids and test accounts
                // are long, and the details, what a manager reads first,
                // keep the room (tooltips hold the whole text).
                m_table->setColumnWidth(
                    column, qMin(m_table->columnWidth(column) + ColumnPadding, MaxColumnWidth));
            }
            if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
                m_table->setCurrentIndex(m_model->index(0, 0));
        }
        refreshStatus();
    });
    connect(m_model, &AuditModel::loadingChanged, this, &AuditView::refreshStatus);
    connect(m_model, &AuditModel::failed, this, &AuditView::showProblem);
    setTabOrder(m_apply, m_table);
    setTabOrder(m_table, buttons->button(QDialogButtonBox::Close));
    resize(1160, 600);
    m_user->setFocus();
}

QLayout *AuditView::createFilterRow()
{
    m_user->setPlaceholderText(tr("any user"));
    m_user->setClearButtonEnabled(true);
    m_user->setToolTip(tr("A user name exactly, or credential:NAME, cart:ID, system"));

    m_action->setEditable(true);
    m_action->setInsertPolicy(QComboBox::NoInsert);
    m_action->addItem(QString());
    m_action->addItems(knownActions());
    m_action->lineEdit()->setPlaceholderText(tr("any action"));
    m_action->setMinimumContentsLength(16);

    m_event->addItem(tr("any event"), QString());
    m_event->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    const QDate today = QDate::currentDate();
    for (QDateEdit *edit : {m_from, m_until}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
    }
    m_from->setDate(today.addDays(1 - DefaultDays));
    m_until->setDate(today);
    m_until->setToolTip(tr("Up to the end of this day"));

    m_apply->setDefault(true);
    m_apply->setToolTip(tr("Read the trail with this filter (Enter)"));
    connect(m_apply, &QPushButton::clicked, this, &AuditView::apply);

    auto *row = new QGridLayout;
    const auto add = [row](int column, const QString &text, QWidget *field) {
        auto *label = new QLabel(text);
        label->setBuddy(field);
        row->addWidget(label, 0, column);
        row->addWidget(field, 1, column);
    };
    add(0, tr("&User:"), m_user);
    add(1, tr("A&ction:"), m_action);
    add(2, tr("&Event:"), m_event);
    add(3, tr("&From:"), m_from);
    add(4, tr("Un&til:"), m_until);
    row->addWidget(m_apply, 1, 5);
    row->setColumnStretch(0, 2);
    row->setColumnStretch(1, 2);
    row->setColumnStretch(2, 3);
    return row;
}

void AuditView::createTable()
{
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setVisible(false);
    // One line of text per entry: more of the trail on screen at once.
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
}

const QStringList &AuditView::knownActions()
{
    static const QStringList actions{QStringLiteral("session.open"),
        QStringLiteral("session.close"), QStringLiteral("session.refuse"),
        QStringLiteral("hold.create"), QStringLiteral("hold.release"),
        QStringLiteral("hold.expire"), QStringLiteral("payment.start"),
        QStringLiteral("payment.confirm"), QStringLiteral("order.sell"),
        QStringLiteral("order.refund"), QStringLiteral("order.void"), QStringLiteral("user.create"),
        QStringLiteral("user.role"), QStringLiteral("user.disable"), QStringLiteral("user.enable"),
        QStringLiteral("user.password"), QStringLiteral("credential.issue"),
        QStringLiteral("credential.revoke")};
    return actions;
}

void AuditView::setEvents(const QList<EventSummary> &events)
{
    const QString chosen = m_event->currentData().toString();
    while (m_event->count() > 1)
        m_event->removeItem(1);
    QStringList currencies;
    for (const EventSummary &event : events) {
        m_event->addItem(event.name, event.slug);
        if (!event.currency.isEmpty() && !currencies.contains(event.currency))
            currencies.append(event.currency);
    }
    const int index = m_event->findData(chosen);
    m_event->setCurrentIndex(index < 0 ? 0 : index);
    m_model->setCurrency(currencies.size() == 1 ? currencies.first() : QString());
}

AuditFilter AuditView::currentFilter() const
{
    AuditFilter filter;
    filter.actor = m_user->text().trimmed();
    filter.action = m_action->currentText().trimmed();
    filter.event = m_event->currentData().toString();
    // Whole local days: from the start of the first to the start of the
    // day after the last (the server's "until" is exclusive).
    filter.from = m_from->date().startOfDay().toUTC();
    filter.until = m_until->date().addDays(1).startOfDay().toUTC();
    return filter;
}

void AuditView::apply()
{
    m_table->setCurrentIndex({});
    m_model->load(currentFilter());
}

void AuditView::refreshStatus()
{
    // A failed page reports itself after this (AuditModel::failed).
    m_status->setStyleSheet(QString());
    if (m_model->isLoading()) {
        m_status->setText(tr("Loading…"));
        return;
    }
    const int rows = m_model->rowCount();
    if (m_model->isComplete())
        m_status->setText(rows == 0 ? tr("No entries match this filter.")
                : rows == 1         ? tr("1 entry")
                                    : tr("%n entries", nullptr, rows));
    else
        m_status->setText(tr("%n entries so far; scroll down for more", nullptr, rows));
}

void AuditView::showProblem(const QString &message)
{
    m_status->setStyleSheet(QStringLiteral("color: #b91c1c;"));
    m_status->setText(message);
}

} // namespace Marquee
