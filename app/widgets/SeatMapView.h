#pragma once

#include "SeatPalette.h"
#include "net/ApiTypes.h"

#include <QGraphicsView>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <memory>
#include <optional>

class QSvgRenderer;
class QGraphicsSvgItem;

namespace Marquee {

class AvailabilityModel;
class SeatItem;

/// The interactive seat map of a seated event: the server's plan.svg drawn as
/// it is, with one SeatItem over every seat showing its live state. Only
/// available seats can be picked; a picked seat that someone else takes is
/// dropped from the selection at once, so the clerk never holds a ghost.
class SeatMapView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit SeatMapView(QWidget *parent = nullptr);
    ~SeatMapView() override;

    /// Follows \a model for seat states; the model must outlive the view or
    /// be replaced first.
    void setModel(AvailabilityModel *model);
    /// Shows \a svg; seats are the elements with class "seat", found by id.
    /// \a categories give each seat's tooltip its category name and price.
    bool setPlan(const QByteArray &svg, const QList<EventPriceCategory> &categories,
        const QString &currency, QString *error = nullptr);
    void clearPlan();
    bool hasPlan() const { return !m_seats.isEmpty(); }

    /// While the channel is down the states may be old: the map is washed
    /// out so nobody reads it as the truth.
    void setStale(bool stale);
    bool isStale() const { return m_stale; }

    /// Seats held by this counter's sale; drawn apart from other holds.
    void setOwnSeats(const QSet<QString> &labels);

    QStringList seatLabels() const { return m_order; }
    QString categoryOf(const QString &label) const { return m_categoryOf.value(label); }
    /// Every seat of the plan with its category code.
    const QHash<QString, QString> &categories() const { return m_categoryOf; }
    /// Row names per category code, in plan order, for the legend.
    QHash<QString, QStringList> rowsByCategory() const;
    QStringList selectedSeats() const { return m_selected; }
    /// Adds available seats to the selection; returns those it could not take.
    QStringList select(const QStringList &labels);
    void toggle(const QString &label);
    void clearSelection();
    void setMaxSelection(int count) { m_maxSelection = count; }

    /// Shows in the tooltip of \a label, held by someone else, until when.
    void setHeldUntil(const QString &label, const QDateTime &until);
    QString toolTipOf(const QString &label) const;

    /// Zoom, centred on the viewport (keys) or on \a anchor (the wheel, in
    /// viewport coordinates); never smaller than the whole plan, at most
    /// MaxZoom times that. fitToView() shows the whole plan again and keeps
    /// it whole when the window resizes.
    void zoomIn();
    void zoomOut();
    void fitToView();
    void zoomBy(qreal factor, const QPointF &anchor);
    /// How far in, 1 when the whole plan shows.
    qreal zoom() const;
    static constexpr qreal MaxZoom = 16;
    static constexpr qreal ZoomStep = 1.25;

    bool isSelectable(const QString &label) const;
    SeatLook lookOf(const QString &label) const;
    /// The seat's centre in viewport coordinates (for clicks in tests and
    /// for scrolling a typed seat into view).
    QPoint seatViewportPosition(const QString &label) const;

signals:
    void selectionChanged(const QStringList &selected);
    /// Selected seats that became unavailable and were dropped.
    void selectionLost(const QStringList &labels);
    /// The clerk tried to pick more than a hold can take.
    void selectionLimitReached(int limit);
    /// The pointer rests on \a label, held by someone else: until when?
    void heldSeatPointed(const QString &label);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    void fitPlan();
    qreal fitScale() const;
    void pan(const QPoint &delta);
    void refreshSeat(const QString &label);
    void refreshAll();
    SeatLook computeLook(const QString &label) const;
    SeatItem *seatAt(const QPoint &viewportPos) const;

    QGraphicsScene *m_scene;
    std::unique_ptr<QSvgRenderer> m_renderer;
    QGraphicsSvgItem *m_background = nullptr;
    QHash<QString, SeatItem *> m_seats;
    QHash<QString, QString> m_categoryOf;
    QHash<QString, QString> m_rowOf;
    QStringList m_order;
    QStringList m_selected;
    QSet<QString> m_own;
    QPointer<AvailabilityModel> m_model;
    int m_maxSelection = 10;
    bool m_fitted = true; ///< the whole plan shows, and stays whole on resize
    std::optional<QPoint> m_dragFrom; ///< a drag on the floor pans, from here
    bool m_stale = false;
};

} // namespace Marquee
