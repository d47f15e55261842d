#pragma once

#include "SeatState.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace Marquee {

class AvailabilityModel;

/// The open event's sales so far, per price category: how many seats are
/// free, held and sold, kept up to date from the live AvailabilityModel a
/// seat at a time (a 20,000-seat plan is not recounted per change).
class CategoryTally : public QObject
{
    Q_OBJECT

public:
    struct Counts
    {
        int available = 0;
        int held = 0;
        int sold = 0;
        int blocked = 0;

        int total() const { return available + held + sold + blocked; }
    };

    explicit CategoryTally(AvailabilityModel *model, QObject *parent = nullptr);

    /// The plan's seats and their category codes; recounts.
    void setCategories(const QHash<QString, QString> &categoryOfSeat);
    const QHash<QString, Counts> &counts() const { return m_counts; }

signals:
    /// Once per burst of changes (a snapshot changes every seat at once).
    void changed();

private:
    void recount();
    void onSeatChanged(const QString &label);
    static void add(Counts &counts, SeatState state, int delta);
    void announce();

    AvailabilityModel *m_model;
    QHash<QString, QString> m_categoryOf;
    QHash<QString, SeatState> m_counted; ///< what each seat was counted as
    QHash<QString, Counts> m_counts;
    bool m_announcing = false;
};

} // namespace Marquee
