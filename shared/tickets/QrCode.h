#pragma once

#include <QBitArray>
#include <QByteArray>

#include <optional>

namespace Marquee {

/// A QR code symbol (error correction level M, 8-bit mode) as a square of
/// dark and light modules. Encoding is libqrencode's; this class only holds
/// the modules so painters and the SVG writer need not know the library.
/// A value type: copyable and safe to use from any thread.
class QrCode
{
public:
    /// Empty text or text too long for any QR version gives nullopt.
    static std::optional<QrCode> encode(const QByteArray &text);

    /// Modules per side, without the quiet zone (21 for version 1).
    int size() const { return m_size; }
    /// Out-of-range coordinates are light (they lie in the quiet zone).
    bool dark(int x, int y) const;

    /// A standalone SVG: a white background and one <path> of all dark
    /// modules, each module moduleSize pixels wide, with quietZone light
    /// modules around the symbol (4 is what the standard asks for).
    QByteArray toSvg(int moduleSize = 4, int quietZone = 4) const;

private:
    QrCode(int size, QBitArray modules);

    int m_size = 0;
    QBitArray m_modules;
};

} // namespace Marquee
