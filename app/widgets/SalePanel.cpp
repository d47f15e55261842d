#include "SalePanel.h"

#include "CounterActions.h"

#include <QAction>
#include <QFormLayout>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Marquee {

namespace {

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QTreeWidget *lines(QWidget *parent)
{
    // Two columns: what is bought, and its amount right-aligned so totals
    // line up under each other like on a receipt.
    auto *tree = new QTreeWidget(parent);
    tree->setColumnCount(2);
    tree->setHeaderHidden(true);
    tree->setRootIsDecorated(false);
    tree->setFocusPolicy(Qt::NoFocus);
    tree->setSelectionMode(QAbstractItemView::NoSelection);
    tree->setFrameShape(QFrame::NoFrame);
    tree->setWordWrap(true);
    tree->setUniformRowHeights(false);
    tree->setIndentation(0);
    tree->setAutoFillBackground(false);
    tree->viewport()->setAutoFillBackground(false);
    tree->header()->setStretchLastSection(false);
    tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    return tree;
}

void show(QTreeWidgetItem *item, const SalePanel::Line &line)
{
    item->setText(0, line.text);
    item->setText(1, line.amount);
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignTop);
    item->setTextAlignment(0, Qt::AlignLeft | Qt::AlignTop);
    // The notice's amber and red, so a line and its warning look alike;
    // bold as well, for whoever does not tell the colours apart.
    const bool marked = line.tone != SalePanel::Tone::Normal;
    const QColor ink = line.tone == SalePanel::Tone::Warning ? QColor(0x92, 0x40, 0x0e)
                                                             : QColor(0x99, 0x1b, 0x1b);
    QFont font = item->treeWidget()->font();
    font.setBold(marked);
    for (int column : {0, 1}) {
        item->setForeground(column, marked ? QBrush(ink) : QBrush());
        item->setFont(column, font);
    }
}

void fill(QTreeWidget *tree, const QList<SalePanel::Line> &entries, const QString &empty)
{
    // The same lines again (the countdown ticks twice a second): changed in
    // place, so the list keeps its scroll position.
    const bool placeholder
        = tree->topLevelItemCount() == 1 && tree->topLevelItem(0)->flags() == Qt::NoItemFlags;
    if (!entries.isEmpty() && !placeholder && tree->topLevelItemCount() == entries.size()) {
        for (int i = 0; i < entries.size(); ++i)
            show(tree->topLevelItem(i), entries.at(i));
        return;
    }
    tree->clear();
    if (entries.isEmpty()) {
        auto *item = new QTreeWidgetItem(tree, {empty});
        item->setFlags(Qt::NoItemFlags);
        item->setForeground(0, tree->palette().color(QPalette::PlaceholderText));
        return;
    }
    for (const SalePanel::Line &line : entries)
        show(new QTreeWidgetItem(tree), line);
}

} // namespace

SalePanel::SalePanel(QWidget *parent)
    : QWidget(parent)
    , m_eventName(new QLabel(this))
    , m_eventDetails(new QLabel(this))
    , m_input(new QStackedWidget(this))
    , m_seatEntry(new QLineEdit(this))
    , m_quantity(new QSpinBox(this))
    , m_counts(new QLabel(this))
    , m_selectionTitle(heading(tr("Selection"), this))
    , m_selection(lines(this))
    , m_holdsTitle(heading(tr("Held for this sale"), this))
    , m_holds(lines(this))
    , m_total(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_buttons(new QWidget(this))
{
    QFont titleFont = m_eventName->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_eventName->setFont(titleFont);
    m_eventName->setWordWrap(true);
    m_eventDetails->setWordWrap(true);
    m_eventDetails->setForegroundRole(QPalette::PlaceholderText);

    // Seated events: type seats. General admission: pick a quantity.
    auto *seatPage = new QWidget(m_input);
    auto *seatLayout = new QVBoxLayout(seatPage);
    seatLayout->setContentsMargins(0, 0, 0, 0);
    m_seatEntry->setPlaceholderText(tr("Type seats, e.g. A3 A4 or B1-B4"));
    m_seatEntry->setClearButtonEnabled(true);
    seatLayout->addWidget(m_seatEntry);
    connect(m_seatEntry, &QLineEdit::returnPressed, this,
        [this] { emit seatsTyped(m_seatEntry->text()); });

    auto *quantityPage = new QWidget(m_input);
    auto *quantityLayout = new QFormLayout(quantityPage);
    quantityLayout->setContentsMargins(0, 0, 0, 0);
    m_quantity->setRange(0, 10);
    m_quantity->setFixedWidth(96);
    quantityLayout->addRow(tr("Tickets:"), m_quantity);
    quantityLayout->addRow(QString(), m_counts);
    connect(m_quantity, &QSpinBox::valueChanged, this, &SalePanel::quantityChanged);

    m_input->addWidget(seatPage);
    m_input->addWidget(quantityPage);
    m_input->addWidget(new QWidget(m_input));
    m_input->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    QFont totalFont = m_total->font();
    totalFont.setPointSizeF(totalFont.pointSizeF() * 1.6);
    totalFont.setBold(true);
    m_total->setFont(totalFont);
    m_total->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setMargin(8);
    m_notice->hide();

    auto *totalRow = new QHBoxLayout;
    totalRow->addWidget(heading(tr("Total"), this));
    totalRow->addWidget(m_total, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->setSpacing(8);
    layout->addWidget(m_eventName);
    layout->addWidget(m_eventDetails);
    layout->addSpacing(4);
    layout->addWidget(m_input);
    layout->addSpacing(4);
    layout->addWidget(m_selectionTitle);
    layout->addWidget(m_selection, 3);
    layout->addWidget(m_holdsTitle);
    layout->addWidget(m_holds, 2);
    layout->addLayout(totalRow);
    layout->addWidget(m_notice);
    layout->addWidget(m_buttons);

    showNoEvent();
    setSelectionLines({});
    setHoldLines({});
}

QPushButton *SalePanel::bind(QAction *action)
{
    auto *button = new QPushButton(m_buttons);
    auto sync = [button, action] {
        button->setText(action->text());
        button->setEnabled(action->isEnabled());
        const QString keys = action->shortcut().toString(QKeySequence::NativeText);
        button->setToolTip(keys.isEmpty() ? action->toolTip()
                                          : action->toolTip() + QStringLiteral(" (") + keys + u')');
    };
    sync();
    connect(action, &QAction::changed, button, sync);
    connect(button, &QPushButton::clicked, action, &QAction::trigger);
    button->setFocusPolicy(Qt::TabFocus);
    button->setMinimumHeight(button->sizeHint().height() + 10);
    return button;
}

void SalePanel::setActions(const CounterActions &actions)
{
    auto *grid = new QGridLayout(m_buttons);
    grid->setContentsMargins(0, 4, 0, 0);
    grid->setSpacing(8);
    QPushButton *sellButton = bind(actions.sell);
    QFont strong = sellButton->font();
    strong.setBold(true);
    sellButton->setFont(strong);
    grid->addWidget(bind(actions.hold), 0, 0);
    grid->addWidget(sellButton, 0, 1);
    grid->addWidget(bind(actions.keep), 1, 0);
    grid->addWidget(bind(actions.clear), 1, 1);
    grid->addWidget(bind(actions.cancel), 2, 0, 1, 2);

    const QString input = CounterActions::keysOf(actions.input);
    m_seatEntry->setToolTip(
        tr("Type seat labels and press Return to select them (%1). Sell takes them as typed.")
            .arg(input));
    m_quantity->setToolTip(tr("Number of tickets (%1). %2 sets it back to 0.")
                               .arg(input, CounterActions::keysOf(actions.clear)));
    m_eventsKeys = CounterActions::keysOf(actions.events);
    if (m_input->currentIndex() == 2)
        showNoEvent();
}

void SalePanel::setEventTitle(const QString &name, const QString &details)
{
    m_eventName->setText(name);
    m_eventDetails->setText(details);
    m_eventDetails->setVisible(!details.isEmpty());
}

void SalePanel::showSeatEntry()
{
    m_input->setCurrentIndex(0);
    m_selectionTitle->setText(tr("Selection"));
}

void SalePanel::showQuantity(int maximum)
{
    m_input->setCurrentIndex(1);
    m_quantity->setMaximum(maximum);
    m_selectionTitle->setText(tr("To hold"));
}

void SalePanel::showNoEvent()
{
    m_input->setCurrentIndex(2);
    setEventTitle(tr("No event open"),
        m_eventsKeys.isEmpty() ? tr("Pick an event on the left.")
                               : tr("Pick an event on the left (%1).").arg(m_eventsKeys));
}

void SalePanel::setSelectionLines(const QList<Line> &entries)
{
    fill(m_selection, entries, tr("Nothing selected"));
}

void SalePanel::setCounts(int available, int capacity)
{
    const QLocale locale;
    m_counts->setText(
        tr("%1 of %2 available").arg(locale.toString(available), locale.toString(capacity)));
}

void SalePanel::setHoldLines(const QList<Line> &entries)
{
    fill(m_holds, entries, tr("Nothing held yet"));
}

void SalePanel::setHoldsTitle(const QString &title)
{
    m_holdsTitle->setText(title);
}

QString SalePanel::holdsTitle() const
{
    return m_holdsTitle->text();
}

void SalePanel::setTotal(const QString &total)
{
    m_total->setText(total);
}

void SalePanel::showNotice(Notice kind, const QString &text, Cause cause)
{
    m_noticeCause = cause;
    QString colours;
    switch (kind) {
    case Notice::Info:
        colours = QStringLiteral("background:#eff6ff; color:#1e3a8a; border:1px solid #bfdbfe;");
        break;
    case Notice::Success:
        colours = QStringLiteral("background:#ecfdf5; color:#065f46; border:1px solid #a7f3d0;");
        break;
    case Notice::Warning:
        colours = QStringLiteral("background:#fffbeb; color:#92400e; border:1px solid #fcd34d;");
        break;
    case Notice::Problem:
        colours = QStringLiteral("background:#fef2f2; color:#991b1b; border:1px solid #fecaca;");
        break;
    }
    m_notice->setStyleSheet(colours + QStringLiteral("border-radius:6px;"));
    m_notice->setText(text);
    m_notice->show();
}

void SalePanel::clearNotice()
{
    m_notice->hide();
    m_notice->clear();
}

void SalePanel::clearNotice(Cause cause)
{
    if (m_noticeCause == cause)
        clearNotice();
}

QString SalePanel::noticeText() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

} // namespace Marquee
