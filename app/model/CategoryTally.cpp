#include "CategoryTally.h"

#include "AvailabilityModel.h"

#include <QTimer>

namespace Marquee {

CategoryTally::CategoryTally(AvailabilityModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    connect(m_model, &AvailabilityModel::seatChanged, this, &CategoryTally::onSeatChanged);
    connect(m_model, &AvailabilityModel::cleared, this, &CategoryTally::recount);
}

void CategoryTally::setCategories(const QHash<QString, QString> &categoryOfSeat)
{
    m_categoryOf = categoryOfSeat;
    recount();
}

void CategoryTally::add(Counts &counts, SeatState state, int delta)
{
    switch (state) {
    case SeatState::Available:
        counts.available += delta;
        break;
    case SeatState::Held:
        counts.held += delta;
        break;
    case SeatState::Sold:
        counts.sold += delta;
        break;
    case SeatState::Blocked:
        counts.blocked += delta;
        break;
    }
}

void CategoryTally::recount()
{
    m_counts.clear();
    m_counted.clear();
    for (auto it = m_categoryOf.cbegin(); it != m_categoryOf.cend(); ++it) {
        Counts &counts = m_counts[it.value()];
        if (const auto state = m_model->seatState(it.key())) {
            add(counts, *state, 1);
            m_counted.insert(it.key(), *state);
        }
    }
    announce();
}

void CategoryTally::onSeatChanged(const QString &label)
{
    const auto category = m_categoryOf.constFind(label);
    if (category == m_categoryOf.cend())
        return;
    Counts &counts = m_counts[*category];
    const auto before = m_counted.constFind(label);
    if (before != m_counted.cend()) {
        add(counts, *before, -1);
        m_counted.erase(before);
    }
    if (const auto state = m_model->seatState(label)) {
        add(counts, *state, 1);
        m_counted.insert(label, *state);
    }
    announce();
}

void CategoryTally::announce()
{
    if (m_announcing)
        return;
    m_announcing = true;
    QTimer::singleShot(0, this, [this] {
        m_announcing = false;
        emit changed();
    });
}

} // namespace Marquee
