#pragma once

#include "model/CategoryTally.h"
#include "net/ApiTypes.h"

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;

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

    /// The event's sales so far, under each category's price.
    void setCounts(const QHash<QString, CategoryTally::Counts> &counts);
    /// The text shown for category \a code (for tests).
    QString textOf(const QString &code) const;

    /// "A–F", or "A–C, H" when a category's rows are not one block.
    static QString rowRanges(const QStringList &rows, const QStringList &allRows);

private:
    QHBoxLayout *m_prices;
    QHash<QString, QLabel *> m_labels; ///< category code -> its entry
    QHash<QString, QString> m_priceText; ///< category code -> "name <b>price</b>"
};

} // namespace Marquee
