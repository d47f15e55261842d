// The QR code, the painted ticket and the PDF of an order's tickets.
#include "QrCode.h"
#include "TicketPainter.h"
#include "TicketPdf.h"
#include "TicketText.h"

#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QtTest>

using namespace Marquee;

namespace {

// 32 random bytes, base64url without padding: the shape of a real ticket code.
const QByteArray sampleCode = QByteArrayLiteral("q3Z8x0Jv4kYtR2mN9bWcL5sHfD7gUeA1oPiT6yKzXrM");

TicketView sampleTicket(int number = 12)
{
    TicketView t;
    t.eventName = QStringLiteral("Breakfast: A Sequel Called Lunch");
    t.venue = QStringLiteral("Stadttheater am Ring, Berlin");
    t.startsAt = QDateTime(QDate(2026, 12, 12), QTime(18, 30), Qt::UTC);
    t.timeZone = QStringLiteral("Europe/Berlin");
    t.seat = QStringLiteral("C%1").arg(number);
    t.row = QStringLiteral("C");
    t.number = number;
    t.category = QStringLiteral("Stalls");
    t.price = 4500;
    t.currency = QStringLiteral("EUR");
    t.code = QString::fromLatin1(sampleCode);
    t.order = QStringLiteral("o_7fk2q9xw");
    t.buyer = QStringLiteral("Käthe Müller");
    return t;
}

int darkPixels(const QImage &image, const QRect &area)
{
    int dark = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            dark += qGray(image.pixel(x, y)) < 128;
    return dark;
}

// A4 at 100 dpi, drawn by the same code as a PDF page.
QImage pageImage()
{
    QImage image(827, 1169, QImage::Format_RGB32);
    image.setDotsPerMeterX(3937);
    image.setDotsPerMeterY(3937);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        TicketPdf::paintPage(painter, QRectF(image.rect()), sampleTicket(),
            QStringLiteral("Your tickets for order o_7fk2q9xw"), 0, 3);
    }
    return image;
}

} // namespace

class TestTickets : public QObject
{
    Q_OBJECT

private slots:
    void qrEncodesTicketCode();
    void qrHasFinderAndTimingPatterns();
    void qrRefusesEmptyText();
    void svgIsValidAndComplete();
    void textOnTheTicket();
    void painterDrawsQrAndText();
    void pdfHasOnePagePerTicket();
    void qrIsLargeEnoughOnA4();
    void screenshot();
};

void TestTickets::qrEncodesTicketCode()
{
    QCOMPARE(sampleCode.size(), 43);
    const auto qr = QrCode::encode(sampleCode);
    QVERIFY(qr);
    QVERIFY(qr->size() >= 21);
    QCOMPARE((qr->size() - 17) % 4, 0); // version v has 17 + 4v modules per side
    QVERIFY(!qr->dark(-1, 0));
    QVERIFY(!qr->dark(qr->size(), 0));
}

void TestTickets::qrHasFinderAndTimingPatterns()
{
    const auto qr = QrCode::encode(sampleCode);
    QVERIFY(qr);
    const int n = qr->size();
    const QList<QPoint> corners = {{0, 0}, {n - 7, 0}, {0, n - 7}};
    for (const QPoint &c : corners) {
        for (int dy = 0; dy < 7; ++dy) {
            for (int dx = 0; dx < 7; ++dx) {
                const bool ring = dx == 0 || dy == 0 || dx == 6 || dy == 6;
                const bool centre = dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4;
                QVERIFY2(qr->dark(c.x() + dx, c.y() + dy) == (ring || centre),
                    qPrintable(QStringLiteral("finder at %1,%2 module %3,%4")
                                   .arg(c.x())
                                   .arg(c.y())
                                   .arg(dx)
                                   .arg(dy)));
            }
        }
    }
    // The separators: a light line between each finder and the data.
    for (int i = 0; i < 8; ++i) {
        QVERIFY(!qr->dark(7, i) && !qr->dark(i, 7));
        QVERIFY(!qr->dark(n - 8, i) && !qr->dark(n - 1 - i, 7));
        QVERIFY(!qr->dark(i, n - 8) && !qr->dark(7, n - 1 - i));
    }
    for (int i = 8; i < n - 8; ++i) {
        QCOMPARE(qr->dark(i, 6), i % 2 == 0);
        QCOMPARE(qr->dark(6, i), i % 2 == 0);
    }
    QVERIFY(qr->dark(8, n - 8)); // the "dark module" every symbol has
}

void TestTickets::qrRefusesEmptyText()
{
    QVERIFY(!QrCode::encode(QByteArray()));
    QVERIFY(!QrCode::encode(QByteArray(8000, 'x'))); // beyond version 40
    const auto withNul = QrCode::encode(QByteArray("a\0b", 3));
    QVERIFY(withNul);
}

void TestTickets::svgIsValidAndComplete()
{
    const auto qr = QrCode::encode(sampleCode);
    QVERIFY(qr);
    const QByteArray svg = qr->toSvg(4, 4);
    QVERIFY(svg.size() < 8000);
    QXmlStreamReader xml(svg);
    QString viewBox, d, shapeRendering;
    int paths = 0;
    bool background = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("svg")) {
            viewBox = xml.attributes().value(QLatin1String("viewBox")).toString();
            shapeRendering = xml.attributes().value(QLatin1String("shape-rendering")).toString();
            QCOMPARE(xml.attributes().value(QLatin1String("width")).toInt(), (qr->size() + 8) * 4);
        } else if (xml.name() == QLatin1String("path")) {
            ++paths;
            d = xml.attributes().value(QLatin1String("d")).toString();
        } else if (xml.name() == QLatin1String("rect")) {
            background = xml.attributes().value(QLatin1String("fill")) == QLatin1String("#fff");
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    const int side = qr->size() + 8;
    QCOMPARE(viewBox, QStringLiteral("0 0 %1 %1").arg(side));
    QCOMPARE(shapeRendering, QStringLiteral("crispEdges"));
    QCOMPARE(paths, 1);
    QVERIFY(background);

    // Every run "Mx yhNv1h-Nz" paints N modules; together exactly the dark ones.
    QSet<QPair<int, int>> painted;
    const QRegularExpression run(QStringLiteral("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z"));
    qsizetype covered = 0;
    for (auto it = run.globalMatch(d); it.hasNext();) {
        const auto m = it.next();
        covered += m.capturedLength();
        QCOMPARE(m.captured(3), m.captured(4));
        for (int i = 0; i < m.captured(3).toInt(); ++i)
            painted.insert({m.captured(1).toInt() + i - 4, m.captured(2).toInt() - 4});
    }
    QCOMPARE(covered, d.size());
    int dark = 0;
    for (int y = 0; y < qr->size(); ++y) {
        for (int x = 0; x < qr->size(); ++x) {
            dark += qr->dark(x, y);
            QCOMPARE(painted.contains({x, y}), qr->dark(x, y));
        }
    }
    QCOMPARE(int(painted.size()), dark);
}

void TestTickets::textOnTheTicket()
{
    TicketView t = sampleTicket();
    QCOMPARE(TicketText::time(t), QStringLiteral("19:30 CET"));
    QCOMPARE(TicketText::date(t),
        QLocale().toString(QDate(2026, 12, 12), QStringLiteral("ddd, d MMM yyyy")));
    t.startsAt = QDateTime(QDate(2026, 7, 4), QTime(18, 30), Qt::UTC);
    QCOMPARE(TicketText::time(t), QStringLiteral("20:30 CEST"));
    QCOMPARE(TicketText::seat(t), QStringLiteral("Row C · Seat 12"));
    t.row.clear();
    QCOMPARE(TicketText::seat(t), QStringLiteral("Seat C12"));
    t.seat.clear();
    QCOMPARE(TicketText::seat(t), QStringLiteral("General admission"));
    QCOMPARE(TicketText::price(4500, QStringLiteral("EUR")), QStringLiteral("€45.00"));
    QCOMPARE(TicketText::price(123456789, QStringLiteral("GBP")), QStringLiteral("£1,234,567.89"));
    QCOMPARE(TicketText::price(4500, QStringLiteral("JPY")), QStringLiteral("¥4,500"));
    QCOMPARE(TicketText::price(4500, QStringLiteral("CHF")), QStringLiteral("CHF\u00A045.00"));
    QCOMPARE(TicketText::price(12345, QStringLiteral("KWD")), QStringLiteral("KWD\u00A012.345"));
}

void TestTickets::painterDrawsQrAndText()
{
    // 1800 px wide: 10 px per ticket unit (the ticket is 180 units wide).
    QImage image(1800, 900, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        TicketPainter::paint(painter, QRectF(0, 0, 1800, 900), sampleTicket());
    }
    // The QR sits on the stub: 46 units square, 8 units in from the tear line
    // (62 units from the right edge), 12 units from the top.
    const QRect qr(1800 - 620 + 80, 120, 460, 460);
    const int dark = darkPixels(image, qr);
    QVERIFY2(dark > qr.width() * qr.height() / 4, qPrintable(QString::number(dark)));
    QVERIFY(dark < qr.width() * qr.height() * 3 / 4);
    // The event's name, below the "ADMIT ONE" line.
    const QRect name(120, 120, 900, 70);
    QVERIFY(darkPixels(image, name) > 2000);
    // The margin between the details and the tear line stays empty.
    QCOMPARE(darkPixels(image, QRect(1120, 200, 50, 400)), 0);
}

void TestTickets::pdfHasOnePagePerTicket()
{
    const QString title = QStringLiteral("Tickets for order o_7fk2q9xw");
    const QByteArray pdf
        = TicketPdf::render({sampleTicket(12), sampleTicket(13), sampleTicket(14)}, title);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    const QRegularExpression page(QStringLiteral("/Type\\s*/Page[^s]"));
    QCOMPARE(page.globalMatch(QString::fromLatin1(pdf)).hasNext(), true);
    int pages = 0;
    for (auto it = page.globalMatch(QString::fromLatin1(pdf)); it.hasNext(); it.next())
        ++pages;
    QCOMPARE(pages, 3);
    // The document information carries the title as UTF-16BE with a BOM.
    QByteArray utf16("\xfe\xff", 2);
    for (const QChar c : title)
        utf16 += char(c.unicode() >> 8) + QByteArray(1, char(c.unicode() & 0xff));
    QVERIFY(pdf.contains("/Title"));
    QVERIFY(pdf.contains(utf16) || pdf.contains(title.toUtf8()));
    QVERIFY(TicketPdf::render({}, title).isEmpty());
}

void TestTickets::qrIsLargeEnoughOnA4()
{
    const QImage page = pageImage();
    const qreal pxPerMm = page.width() / 210.0;
    // The stub of the ticket, above the printed code: only the QR is black there.
    const QRect stub(
        qRound(135 * pxPerMm), qRound(36 * pxPerMm), qRound(60 * pxPerMm), qRound(57 * pxPerMm));
    QRect modules;
    for (int y = stub.top(); y <= stub.bottom(); ++y)
        for (int x = stub.left(); x <= stub.right(); ++x)
            if (qGray(page.pixel(x, y)) < 64)
                modules |= QRect(x, y, 1, 1);
    QVERIFY(!modules.isEmpty());
    QVERIFY2(
        modules.width() >= 35 * pxPerMm, qPrintable(QString::number(modules.width() / pxPerMm)));
    QCOMPARE(modules.width(), modules.height());
}

void TestTickets::screenshot()
{
    const QString dir = qEnvironmentVariable("MARQUEE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("MARQUEE_SCREENSHOT_DIR is not set");
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(pageImage().save(QDir(dir).filePath(QStringLiteral("ticket-pdf.png"))));
}

QTEST_MAIN(TestTickets)
#include "tst_tickets.moc"
