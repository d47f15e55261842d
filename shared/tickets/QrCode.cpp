#include "QrCode.h"

#include <qrencode.h>

#include <memory>

namespace Marquee {

QrCode::QrCode(int size, QBitArray modules)
    : m_size(size)
    , m_modules(std::move(modules))
{
}

std::optional<QrCode> QrCode::encode(const QByteArray &text)
{
    if (text.isEmpty())
        return std::nullopt;
    // encodeData, not encodeString: it always uses 8-bit mode and takes a
    // length, so bytes after a NUL are not silently dropped.
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(int(text.size()),
            reinterpret_cast<const unsigned char *>(text.constData()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        return std::nullopt;
    const int size = code->width;
    QBitArray modules(size * size);
    for (int i = 0; i < size * size; ++i)
        modules.setBit(i, code->data[i] & 1); // the other bits describe the module's role
    return QrCode(size, std::move(modules));
}

bool QrCode::dark(int x, int y) const
{
    if (x < 0 || y < 0 || x >= m_size || y >= m_size)
        return false;
    return m_modules.testBit(y * m_size + x);
}

QByteArray QrCode::toSvg(int moduleSize, int quietZone) const
{
    moduleSize = qMax(1, moduleSize);
    quietZone = qMax(0, quietZone);
    const int side = m_size + 2 * quietZone;
    // One subpath per horizontal run of dark modules keeps the file small
    // (a 33-module code is about 3 kB) while staying exact.
    QByteArray path;
    for (int y = 0; y < m_size; ++y) {
        for (int x = 0; x < m_size;) {
            if (!dark(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (dark(x + run, y))
                ++run;
            path.append('M').append(QByteArray::number(x + quietZone)).append(' ');
            path.append(QByteArray::number(y + quietZone))
                .append('h')
                .append(QByteArray::number(run));
            path.append("v1h-").append(QByteArray::number(run)).append('z');
            x += run;
        }
    }
    const QByteArray pixels = QByteArray::number(side * moduleSize);
    const QByteArray modules = QByteArray::number(side);
    QByteArray svg("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    svg.append(pixels).append("\" height=\"").append(pixels);
    svg.append("\" viewBox=\"0 0 ").append(modules).append(' ').append(modules);
    svg.append("\" shape-rendering=\"crispEdges\"><rect width=\"").append(modules);
    svg.append("\" height=\"").append(modules).append("\" fill=\"#fff\"/>");
    svg.append("<path fill=\"#000\" d=\"").append(path).append("\"/></svg>\n");
    return svg;
}

} // namespace Marquee
