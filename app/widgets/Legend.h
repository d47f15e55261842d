#pragma once

#include "net/ApiTypes.h"

#include <QHash>
#include <QWidget>

class QHBoxLayout;

namespace Marquee {

/// The key under the seat map: what each seat colour means, and the price of
/// each category of the event, so a clerk can quote a price without hovering.
class Legend : public QWidget
{
    Q_OBJECT

public:
    explicit Legend(QWidget *parent = nullptr);

    /// \a rows names the plan's rows of each category code ("A".."F").
    void setPrices(const QList<EventPriceCategory> &categories, const QString &currency,
        const QHash<QString, QStringList> &rows = {});

    /// "A–F", or "A–C, H" when a category's rows are not one block.
    static QString rowRanges(const QStringList &rows, const QStringList &allRows);

private:
    QHBoxLayout *m_prices;
};

} // namespace Marquee
