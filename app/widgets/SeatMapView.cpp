#include "SeatMapView.h"

#include "FloorPlan.h"
#include "FocusRing.h"
#include "SeatItem.h"
#include "model/AvailabilityModel.h"
#include "model/MoneyFormat.h"

#include <QCursor>
#include <QGraphicsSvgItem>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSvgRenderer>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

namespace Marquee {

SeatMapView::SeatMapView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
{
    setScene(m_scene);
    setRenderHints(
        QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setAlignment(Qt::AlignCenter);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xf9));
    setDragMode(QGraphicsView::NoDrag);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
}

SeatMapView::~SeatMapView() = default;

void SeatMapView::setModel(AvailabilityModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        connect(m_model, &AvailabilityModel::seatChanged, this, &SeatMapView::refreshSeat);
        connect(m_model, &AvailabilityModel::cleared, this, &SeatMapView::refreshAll);
    }
    refreshAll();
}

bool SeatMapView::setPlan(const QByteArray &svg, const QList<EventPriceCategory> &categories,
    const QString &currency, QString *error)
{
    clearPlan();
    m_fitted = true;
    QByteArray background;
    const auto plan = FloorPlan::fromSvg(svg, error, &background);
    if (!plan)
        return false;
    // Without transforms the plan's own numbers place the seats, and the
    // SVG is drawn without their circles (the items draw them): for the
    // arena that parses and paints 20,000 elements fewer. With transforms
    // only the renderer knows where a seat ends up, so it gets them all.
    const bool placedByPlan = !plan->transformed;
    auto renderer = std::make_unique<QSvgRenderer>(placedByPlan ? background : svg);
    if (!renderer->isValid()) {
        if (error)
            *error = tr("The floor plan cannot be drawn.");
        return false;
    }

    m_renderer = std::move(renderer);
    m_background = new QGraphicsSvgItem;
    m_background->setSharedRenderer(m_renderer.get());
    m_background->setZValue(0);
    // Drawn once per zoom into a pixmap, so that a seat's live update,
    // which repaints only its own small square, does not redraw the whole
    // plan beneath it. QGraphicsSvgItem caches nothing larger than
    // 1024×768 by default, and a full-screen map is larger.
    m_background->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    m_background->setMaximumCacheSize(QSize(4096, 4096));
    m_scene->addItem(m_background);

    QHash<QString, EventPriceCategory> byCode;
    for (const EventPriceCategory &category : categories)
        byCode.insert(category.code, category);
    const MoneyFormat money;

    for (const FloorPlan::Seat &seat : plan->seats) {
        if (!placedByPlan && !m_renderer->elementExists(seat.label))
            continue;
        const QRectF bounds = placedByPlan
            ? QRectF(seat.position - QPointF(seat.radius, seat.radius),
                QSizeF(2 * seat.radius, 2 * seat.radius))
            : m_renderer->transformForElement(seat.label)
                  .mapRect(m_renderer->boundsOnElement(seat.label));
        auto *item = new SeatItem(
            seat.label, seat.number > 0 ? QString::number(seat.number) : seat.label, bounds);
        item->setZValue(1);
        const auto category = byCode.constFind(seat.category);
        if (category != byCode.cend())
            item->setPriceText(
                category->name + QStringLiteral(" · ") + money.format(category->price, currency));
        m_scene->addItem(item);
        m_seats.insert(seat.label, item);
        m_categoryOf.insert(seat.label, seat.category);
        m_rowOf.insert(seat.label, seat.row);
        m_order.append(seat.label);
    }
    m_scene->setSceneRect(m_renderer->viewBoxF());
    refreshAll();
    fitPlan();
    return true;
}

void SeatMapView::clearPlan()
{
    const bool hadSelection = !m_selected.isEmpty();
    m_scene->clear(); // deletes the items
    m_background = nullptr;
    m_renderer.reset();
    m_seats.clear();
    m_categoryOf.clear();
    m_rowOf.clear();
    m_order.clear();
    m_selected.clear();
    m_own.clear();
    if (hadSelection)
        emit selectionChanged(m_selected);
}

void SeatMapView::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    viewport()->update();
}

void SeatMapView::drawForeground(QPainter *painter, const QRectF &rect)
{
    if (m_stale && hasPlan())
        painter->fillRect(rect, QColor(250, 250, 249, 150));
    if (hasFocus()) {
        // In the viewport's own coordinates, whatever the zoom.
        painter->save();
        painter->resetTransform();
        FocusRing::paint(*painter, viewport()->rect());
        painter->restore();
    }
}

bool SeatMapView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        if (const SeatItem *seat = seatAt(help->pos()); seat && seat->look() == SeatLook::Held)
            emit heldSeatPointed(seat->label());
    }
    return QGraphicsView::viewportEvent(event);
}

void SeatMapView::setHeldUntil(const QString &label, const QDateTime &until)
{
    SeatItem *seat = m_seats.value(label);
    if (!seat || seat->look() != SeatLook::Held || !until.isValid())
        return;
    //: In a seat's tooltip, after "Held": when someone else's hold ends
    seat->setStateNote(
        tr("until %1").arg(QLocale().toString(until.toLocalTime().time(), tr("HH:mm"))));
    // The answer comes while the tooltip shows: show it again, with the time.
    const QPoint pointer = viewport()->mapFromGlobal(QCursor::pos());
    if (QToolTip::isVisible() && seatAt(pointer) == seat)
        QToolTip::showText(QCursor::pos(), seat->toolTip(), viewport());
}

QString SeatMapView::toolTipOf(const QString &label) const
{
    const SeatItem *seat = m_seats.value(label);
    return seat ? seat->toolTip() : QString();
}

void SeatMapView::focusInEvent(QFocusEvent *event)
{
    QGraphicsView::focusInEvent(event);
    viewport()->update();
}

void SeatMapView::focusOutEvent(QFocusEvent *event)
{
    QGraphicsView::focusOutEvent(event);
    viewport()->update();
}

void SeatMapView::setOwnSeats(const QSet<QString> &labels)
{
    const QSet<QString> changed = (m_own - labels) + (labels - m_own);
    m_own = labels;
    for (const QString &label : changed)
        refreshSeat(label);
}

QStringList SeatMapView::select(const QStringList &labels)
{
    QStringList refused;
    bool changed = false;
    for (const QString &label : labels) {
        if (m_selected.contains(label))
            continue;
        if (!isSelectable(label)) {
            refused.append(label);
            continue;
        }
        if (m_selected.size() >= m_maxSelection) {
            emit selectionLimitReached(m_maxSelection);
            refused.append(label);
            continue;
        }
        m_selected.append(label);
        refreshSeat(label);
        changed = true;
    }
    if (changed)
        emit selectionChanged(m_selected);
    return refused;
}

void SeatMapView::toggle(const QString &label)
{
    if (m_selected.removeOne(label)) {
        refreshSeat(label);
        emit selectionChanged(m_selected);
        return;
    }
    select({label});
}

void SeatMapView::clearSelection()
{
    if (m_selected.isEmpty())
        return;
    const QStringList was = m_selected;
    m_selected.clear();
    for (const QString &label : was)
        refreshSeat(label);
    emit selectionChanged(m_selected);
}

bool SeatMapView::isSelectable(const QString &label) const
{
    if (!m_seats.contains(label) || !m_model || m_own.contains(label))
        return false;
    return m_model->seatState(label) == SeatState::Available;
}

QHash<QString, QStringList> SeatMapView::rowsByCategory() const
{
    QHash<QString, QStringList> rows;
    for (const QString &label : m_order) {
        QStringList &list = rows[m_categoryOf.value(label)];
        const QString row = m_rowOf.value(label);
        if (!row.isEmpty() && !list.contains(row))
            list.append(row);
    }
    return rows;
}

SeatLook SeatMapView::lookOf(const QString &label) const
{
    const SeatItem *item = m_seats.value(label);
    return item ? item->look() : SeatLook::Unknown;
}

QPoint SeatMapView::seatViewportPosition(const QString &label) const
{
    const SeatItem *item = m_seats.value(label);
    if (!item)
        return {};
    return mapFromScene(item->sceneBoundingRect().center());
}

SeatLook SeatMapView::computeLook(const QString &label) const
{
    const auto state = m_model ? m_model->seatState(label) : std::nullopt;
    if (!state)
        return SeatLook::Unknown;
    switch (*state) {
    case SeatState::Available:
        return m_selected.contains(label) ? SeatLook::Selected : SeatLook::Available;
    case SeatState::Held:
        return m_own.contains(label) ? SeatLook::InThisSale : SeatLook::Held;
    case SeatState::Sold:
        return SeatLook::Sold;
    case SeatState::Blocked:
        return SeatLook::Blocked;
    }
    return SeatLook::Unknown;
}

void SeatMapView::refreshSeat(const QString &label)
{
    SeatItem *item = m_seats.value(label);
    if (!item)
        return;
    if (m_selected.contains(label) && !isSelectable(label)) {
        // Someone else got it first: the clerk must not hold on to it.
        m_selected.removeOne(label);
        item->setLook(computeLook(label));
        emit selectionLost({label});
        emit selectionChanged(m_selected);
        return;
    }
    item->setLook(computeLook(label));
}

void SeatMapView::refreshAll()
{
    for (const QString &label : std::as_const(m_order))
        refreshSeat(label);
}

void SeatMapView::fitPlan()
{
    if (!m_renderer || !m_fitted)
        return;
    // The same scale zoom() counts from, so "whole" is exactly 1.
    const qreal scale = fitScale();
    setTransform(QTransform::fromScale(scale, scale));
    centerOn(m_scene->sceneRect().center());
}

void SeatMapView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    fitPlan();
}

void SeatMapView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    fitPlan();
}

SeatItem *SeatMapView::seatAt(const QPoint &viewportPos) const
{
    const QList<QGraphicsItem *> hits = items(viewportPos);
    for (QGraphicsItem *hit : hits) {
        if (hit->type() == SeatItem::Type)
            return static_cast<SeatItem *>(hit);
    }
    return nullptr;
}

void SeatMapView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QGraphicsView::mousePressEvent(event);
        return;
    }
    if (SeatItem *seat = seatAt(event->position().toPoint()))
        toggle(seat->label());
    else if (!m_fitted)
        m_dragFrom = event->position().toPoint(); // the floor: drag to pan
    event->accept();
}

void SeatMapView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragFrom) {
        const QPoint at = event->position().toPoint();
        pan(*m_dragFrom - at);
        m_dragFrom = at;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void SeatMapView::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragFrom.reset();
    QGraphicsView::mouseReleaseEvent(event);
}

void SeatMapView::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y();
    if (steps == 0 || !hasPlan()) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    // The point under the pointer stays under it, as in any map.
    zoomBy(std::pow(ZoomStep, steps / 120.0), event->position());
    event->accept();
}

void SeatMapView::keyPressEvent(QKeyEvent *event)
{
    // A tenth of the view per press of an arrow; + and - zoom, 0 shows all.
    const int x = viewport()->width() / 10;
    const int y = viewport()->height() / 10;
    switch (event->key()) {
    case Qt::Key_Left:
        return pan({-x, 0});
    case Qt::Key_Right:
        return pan({x, 0});
    case Qt::Key_Up:
        return pan({0, -y});
    case Qt::Key_Down:
        return pan({0, y});
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        return zoomIn();
    case Qt::Key_Minus:
        return zoomOut();
    case Qt::Key_0:
        return fitToView();
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

qreal SeatMapView::fitScale() const
{
    // A small margin so edge seats are not glued to the frame.
    const QRectF box = m_scene->sceneRect();
    const qreal margin = qMax(box.width(), box.height()) * 0.02;
    const QRectF framed = box.adjusted(-margin, -margin, margin, margin);
    if (framed.isEmpty())
        return 1;
    return qMin(viewport()->width() / framed.width(), viewport()->height() / framed.height());
}

qreal SeatMapView::zoom() const
{
    const qreal fit = fitScale();
    return fit > 0 ? transform().m11() / fit : 1;
}

void SeatMapView::zoomIn()
{
    zoomBy(ZoomStep, QRectF(viewport()->rect()).center());
}

void SeatMapView::zoomOut()
{
    zoomBy(1 / ZoomStep, QRectF(viewport()->rect()).center());
}

void SeatMapView::fitToView()
{
    m_fitted = true;
    fitPlan();
}

void SeatMapView::zoomBy(qreal factor, const QPointF &anchor)
{
    if (!hasPlan())
        return;
    const qreal target = qBound(1.0, zoom() * factor, MaxZoom);
    if (target <= 1.0 + 1e-6) {
        fitToView();
        return;
    }
    m_fitted = false;
    const QPointF fixed = mapToScene(anchor.toPoint());
    const qreal scale = target * fitScale();
    setTransform(QTransform::fromScale(scale, scale));
    // Put the scene point that was under the anchor back under it.
    const QPointF drift = mapFromScene(fixed) - anchor;
    pan(drift.toPoint());
}

void SeatMapView::pan(const QPoint &delta)
{
    if (m_fitted || delta.isNull())
        return;
    // The scroll bars are hidden, not gone: they still hold the position.
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() + delta.y());
}

} // namespace Marquee
