#include "FloorPlan.h"

#include "Protocol.h"

#include <QLocale>
#include <QSet>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace Marquee {

namespace {

QString rowName(int index)
{
    // A..Z, then AA, AB, ... as theatres do.
    QString name;
    for (int i = index; i >= 0; i = i / 26 - 1)
        name.prepend(QChar(u'A' + i % 26));
    return name;
}

/// The shortest text that reads back as exactly \a value: a plan written
/// and read again is the same plan, however small or precise its numbers
/// (one fixed decimal turned a height of 0.02 into 0, a plan then refused).
QString number(qreal value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

FloorPlan FloorPlan::theatre(int rows, int seatsPerRow, const QString &stageLabel,
    const std::function<QString(int)> &categoryOfRow)
{
    constexpr qreal pitch = 26;
    constexpr qreal margin = 40;
    constexpr qreal stageDepth = 60;

    FloorPlan plan;
    plan.stageLabel = stageLabel;
    plan.width = margin * 2 + pitch * seatsPerRow;
    plan.height = margin * 2 + stageDepth + pitch * rows;
    for (int r = 0; r < rows; ++r) {
        for (int s = 0; s < seatsPerRow; ++s) {
            Seat seat;
            seat.row = rowName(r);
            seat.number = s + 1;
            seat.label = seat.row + QString::number(seat.number);
            seat.position
                = QPointF(margin + pitch * (s + 0.5), margin + stageDepth + pitch * (r + 0.5));
            seat.category = categoryOfRow(r);
            plan.seats.append(seat);
        }
    }
    return plan;
}

QByteArray FloorPlan::toSvg() const
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(QStringLiteral("svg"));
    xml.writeDefaultNamespace(QStringLiteral("http://www.w3.org/2000/svg"));
    xml.writeAttribute(
        QStringLiteral("viewBox"), QStringLiteral("0 0 %1 %2").arg(number(width), number(height)));
    xml.writeAttribute(QStringLiteral("width"), number(width));
    xml.writeAttribute(QStringLiteral("height"), number(height));

    // The stage spans the width above the first row.
    xml.writeStartElement(QStringLiteral("rect"));
    xml.writeAttribute(QStringLiteral("class"), QStringLiteral("stage"));
    xml.writeAttribute(QStringLiteral("x"), number(width * 0.15));
    xml.writeAttribute(QStringLiteral("y"), number(16));
    xml.writeAttribute(QStringLiteral("width"), number(width * 0.7));
    xml.writeAttribute(QStringLiteral("height"), number(44));
    xml.writeAttribute(QStringLiteral("rx"), number(6));
    xml.writeAttribute(QStringLiteral("fill"), QStringLiteral("#4b5563"));
    xml.writeEndElement();
    xml.writeStartElement(QStringLiteral("text"));
    xml.writeAttribute(QStringLiteral("class"), QStringLiteral("stage-label"));
    xml.writeAttribute(QStringLiteral("x"), number(width / 2));
    xml.writeAttribute(QStringLiteral("y"), number(43));
    xml.writeAttribute(QStringLiteral("text-anchor"), QStringLiteral("middle"));
    xml.writeAttribute(QStringLiteral("font-family"), QStringLiteral("sans-serif"));
    xml.writeAttribute(QStringLiteral("font-size"), QStringLiteral("16"));
    xml.writeAttribute(QStringLiteral("fill"), QStringLiteral("#ffffff"));
    xml.writeCharacters(stageLabel);
    xml.writeEndElement();

    // Row letters on both sides help a clerk read a seat off the map.
    QSet<QString> labelledRows;
    xml.writeStartElement(QStringLiteral("g"));
    xml.writeAttribute(QStringLiteral("class"), QStringLiteral("rows"));
    xml.writeAttribute(QStringLiteral("font-family"), QStringLiteral("sans-serif"));
    xml.writeAttribute(QStringLiteral("font-size"), QStringLiteral("11"));
    xml.writeAttribute(QStringLiteral("fill"), QStringLiteral("#6b7280"));
    xml.writeAttribute(QStringLiteral("text-anchor"), QStringLiteral("middle"));
    for (const Seat &seat : seats) {
        if (labelledRows.contains(seat.row))
            continue;
        labelledRows.insert(seat.row);
        for (qreal x : {qreal(18), width - 18}) {
            xml.writeStartElement(QStringLiteral("text"));
            xml.writeAttribute(QStringLiteral("x"), number(x));
            xml.writeAttribute(QStringLiteral("y"), number(seat.position.y() + 4));
            xml.writeCharacters(seat.row);
            xml.writeEndElement();
        }
    }
    xml.writeEndElement();

    xml.writeStartElement(QStringLiteral("g"));
    xml.writeAttribute(QStringLiteral("class"), QStringLiteral("seats"));
    for (const Seat &seat : seats) {
        xml.writeStartElement(QStringLiteral("circle"));
        xml.writeAttribute(QStringLiteral("id"), seat.label);
        xml.writeAttribute(QStringLiteral("class"), QStringLiteral("seat"));
        xml.writeAttribute(QStringLiteral("data-row"), seat.row);
        xml.writeAttribute(QStringLiteral("data-number"), QString::number(seat.number));
        xml.writeAttribute(QStringLiteral("data-category"), seat.category);
        xml.writeAttribute(QStringLiteral("cx"), number(seat.position.x()));
        xml.writeAttribute(QStringLiteral("cy"), number(seat.position.y()));
        xml.writeAttribute(QStringLiteral("r"), number(seat.radius));
        xml.writeAttribute(QStringLiteral("fill"), QStringLiteral("#d1d5db"));
        xml.writeStartElement(QStringLiteral("title"));
        xml.writeCharacters(seat.label);
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeEndElement();

    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

std::optional<FloorPlan> FloorPlan::fromSvg(
    const QByteArray &svg, QString *error, QByteArray *background)
{
    auto failed = [error](const QString &why) -> std::optional<FloorPlan> {
        if (error)
            *error = why;
        return std::nullopt;
    };

    FloorPlan plan;
    QSet<QString> labels;
    QXmlStreamReader xml(svg);
    std::optional<QXmlStreamWriter> copy;
    if (background) {
        background->clear();
        copy.emplace(background);
    }
    bool inStageLabel = false;
    int skipping = 0; ///< depth inside a seat's circle, left out of the copy
    while (!xml.atEnd()) {
        xml.readNext();
        if (skipping > 0) {
            skipping += xml.isStartElement() ? 1 : (xml.isEndElement() ? -1 : 0);
            continue;
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("circle")
            && xml.attributes().value(QLatin1String("class")) == QLatin1String("seat"))
            skipping = 1;
        else if (copy && !xml.hasError())
            copy->writeCurrentToken(xml);
        if (xml.isStartElement() && xml.attributes().hasAttribute(QLatin1String("transform")))
            plan.transformed = true;
        if (xml.isCharacters() && inStageLabel) {
            plan.stageLabel += xml.text();
            continue;
        }
        if (xml.isEndElement()) {
            inStageLabel = false;
            continue;
        }
        if (!xml.isStartElement())
            continue;
        const QXmlStreamAttributes attributes = xml.attributes();
        const auto name = xml.name();
        if (name == QLatin1String("svg")) {
            const QStringList box = attributes.value(QLatin1String("viewBox"))
                                        .toString()
                                        .split(u' ', Qt::SkipEmptyParts);
            if (box.size() != 4)
                return failed(QStringLiteral("the plan has no viewBox"));
            plan.width = box.at(2).toDouble();
            plan.height = box.at(3).toDouble();
            // toDouble() reads "nan" and "inf", and a NaN size passes the
            // "<= 0" check below; clients cannot lay out either.
            if (!qIsFinite(plan.width) || !qIsFinite(plan.height))
                return failed(QStringLiteral("the plan's size is not a number"));
        } else if (name == QLatin1String("text")
            && attributes.value(QLatin1String("class")) == QLatin1String("stage-label")) {
            inStageLabel = true;
        } else if (name == QLatin1String("circle")
            && attributes.value(QLatin1String("class")) == QLatin1String("seat")) {
            Seat seat;
            seat.label = attributes.value(QLatin1String("id")).toString();
            if (!Protocol::isValidSeatLabel(seat.label))
                return failed(QStringLiteral("a seat has an invalid id"));
            if (labels.contains(seat.label))
                return failed(QStringLiteral("seat %1 appears twice").arg(seat.label));
            labels.insert(seat.label);
            seat.row = attributes.value(QLatin1String("data-row")).toString();
            seat.number = attributes.value(QLatin1String("data-number")).toInt();
            seat.category = attributes.value(QLatin1String("data-category")).toString();
            seat.position = QPointF(attributes.value(QLatin1String("cx")).toDouble(),
                attributes.value(QLatin1String("cy")).toDouble());
            const double radius = attributes.value(QLatin1String("r")).toDouble();
            if (qIsFinite(radius) && radius > 0)
                seat.radius = radius;
            if (!qIsFinite(seat.position.x()) || !qIsFinite(seat.position.y()))
                return failed(QStringLiteral("seat %1 has no place").arg(seat.label));
            plan.seats.append(seat);
        }
    }
    if (xml.hasError())
        return failed(xml.errorString());
    if (plan.width <= 0 || plan.height <= 0)
        return failed(QStringLiteral("the plan has no size"));
    return plan;
}

} // namespace Marquee
