#include "Legend.h"

#include "SeatPalette.h"
#include "model/MoneyFormat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>

namespace Marquee {

namespace {

QPixmap swatch(SeatLook look, qreal devicePixelRatio, int size)
{
    const SeatPalette::Entry colours = SeatPalette::entry(look);
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colours.outline, 1.2));
    painter.setBrush(colours.fill);
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    SeatPalette::paintMark(painter, QRectF(1, 1, size - 2, size - 2), look, false);
    return pixmap;
}

QWidget *entry(const QPixmap &icon, const QString &text, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    auto *iconLabel = new QLabel(box);
    iconLabel->setPixmap(icon);
    layout->addWidget(iconLabel);
    layout->addWidget(new QLabel(text, box));
    return box;
}

} // namespace

Legend::Legend(QWidget *parent)
    : QWidget(parent)
    , m_prices(new QHBoxLayout)
{
    auto *states = new QHBoxLayout;
    states->setSpacing(18);
    const int size = fontMetrics().height();
    for (SeatLook look : SeatPalette::legendOrder())
        states->addWidget(
            entry(swatch(look, devicePixelRatioF(), size), SeatPalette::name(look), this));
    states->addStretch();

    m_prices->setSpacing(18);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->setSpacing(6);
    layout->addLayout(states);
    layout->addLayout(m_prices);
}

QString Legend::rowRanges(const QStringList &rows, const QStringList &allRows)
{
    // Runs are judged by the plan's own row order, so "Z, AA" counts as one.
    QStringList parts;
    int start = -1;
    int previous = -2;
    auto close = [&] {
        if (start < 0)
            return;
        parts.append(start == previous ? allRows.at(start)
                                       : allRows.at(start) + QChar(0x2013) + allRows.at(previous));
    };
    for (const QString &row : rows) {
        const int index = int(allRows.indexOf(row));
        if (index != previous + 1) {
            close();
            start = index;
        }
        previous = index;
    }
    close();
    return parts.join(QStringLiteral(", "));
}

void Legend::setPrices(const QList<EventPriceCategory> &categories, const QString &currency,
    const QHash<QString, QStringList> &rows)
{
    while (QLayoutItem *item = m_prices->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_labels.clear();
    m_priceText.clear();
    QStringList allRows;
    for (const QStringList &list : rows) {
        for (const QString &row : list) {
            if (!allRows.contains(row))
                allRows.append(row);
        }
    }
    std::sort(allRows.begin(), allRows.end(), [](const QString &a, const QString &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });

    const MoneyFormat money;
    for (const EventPriceCategory &category : categories) {
        auto *label = new QLabel(this);
        label->setTextFormat(Qt::RichText);
        const QStringList categoryRows = rows.value(category.code);
        const QString name = categoryRows.isEmpty()
            ? category.name
            : tr("%1 (rows %2)", "price category, its rows")
                  .arg(category.name, rowRanges(categoryRows, allRows));
        const QString text = tr("%1 <b>%2</b>", "price category, price")
                                 .arg(name.toHtmlEscaped(),
                                     money.format(category.price, currency).toHtmlEscaped());
        label->setText(text);
        m_labels.insert(category.code, label);
        m_priceText.insert(category.code, text);
        m_prices->addWidget(label);
    }
    m_prices->addStretch();
}

void Legend::setCounts(const QHash<QString, CategoryTally::Counts> &counts)
{
    const QLocale locale;
    for (auto it = m_labels.cbegin(); it != m_labels.cend(); ++it) {
        const CategoryTally::Counts count = counts.value(it.key());
        //: Under a price category in the legend: its seats free, held and sold
        const QString line = tr("%1 free · %2 held · %3 sold")
                                 .arg(locale.toString(count.available), locale.toString(count.held),
                                     locale.toString(count.sold));
        it.value()->setText(
            m_priceText.value(it.key()) + QStringLiteral("<br>") + line.toHtmlEscaped());
    }
}

QString Legend::textOf(const QString &code) const
{
    const QLabel *label = m_labels.value(code);
    return label ? label->text() : QString();
}

} // namespace Marquee
