#pragma once

#include <QByteArray>
#include <QList>
#include <QPointF>
#include <QString>
#include <functional>
#include <optional>

namespace Marquee {

/// A venue's floor plan: a stage and seats placed in plan coordinates.
/// The SVG form is what the server serves and both clients render; each seat
/// is a <circle> whose id is its label, so a client can find and colour it.
struct FloorPlan
{
    static constexpr qreal SeatRadius = 9;

    struct Seat
    {
        QString label; ///< unique within the plan, e.g. "A1"
        QString row; ///< "A"
        int number = 0; ///< 1
        QPointF position; ///< centre, in plan units
        QString category; ///< price category code
        qreal radius = SeatRadius; ///< the circle's r
    };

    qreal width = 0;
    qreal height = 0;
    QString stageLabel;
    QList<Seat> seats;
    /// Some element of the SVG has a transform: seat positions are where
    /// cx and cy say before it, so only an SVG renderer knows the places.
    bool transformed = false;

    /// Rows lettered A, B, ... from the stage back; every row has
    /// \a seatsPerRow seats. \a categoryOfRow names the category of a row index.
    static FloorPlan theatre(int rows, int seatsPerRow, const QString &stageLabel,
        const std::function<QString(int row)> &categoryOfRow);

    QByteArray toSvg() const;
    /// Reads what toSvg() writes (and hand-drawn plans following the same
    /// convention); nullopt with \a error when it is not a floor plan.
    /// With \a background, also the same SVG without the seats' circles
    /// (a counter draws seats itself, and 20,000 circles cost a renderer
    /// far more than the rest of a plan).
    static std::optional<FloorPlan> fromSvg(
        const QByteArray &svg, QString *error = nullptr, QByteArray *background = nullptr);
};

} // namespace Marquee
