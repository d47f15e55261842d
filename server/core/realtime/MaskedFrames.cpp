#include "MaskedFrames.h"

#include <QtEndian>

#include <algorithm>

namespace Marquee {

namespace {

/// The bytes of a frame header that starts with \a first2, 0 if not known yet.
qsizetype headerSize(const QByteArray &first2)
{
    const int length = quint8(first2.at(1)) & 0x7f;
    const qsizetype extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    return 2 + extended + 4; // masked: the key follows the length
}

quint64 payloadLength(const QByteArray &header)
{
    const int length = quint8(header.at(1)) & 0x7f;
    const auto *bytes = reinterpret_cast<const uchar *>(header.constData() + 2);
    if (length == 126)
        return qFromBigEndian<quint16>(bytes);
    if (length == 127)
        return qFromBigEndian<quint64>(bytes);
    return quint64(length);
}

} // namespace

bool MaskedFrames::feed(QByteArrayView bytes)
{
    while (!m_unmasked && !bytes.isEmpty()) {
        if (m_payloadLeft > 0) {
            const quint64 skip = std::min<quint64>(m_payloadLeft, quint64(bytes.size()));
            m_payloadLeft -= skip;
            bytes = bytes.sliced(qsizetype(skip));
            continue;
        }
        const qsizetype wanted = m_header.size() < 2 ? 2 : headerSize(m_header);
        const qsizetype take = std::min(wanted - m_header.size(), bytes.size());
        m_header.append(bytes.data(), take);
        bytes = bytes.sliced(take);
        if (m_header.size() >= 2 && !(quint8(m_header.at(1)) & 0x80)) {
            m_unmasked = true;
            break;
        }
        if (m_header.size() >= 2 && m_header.size() == headerSize(m_header)) {
            m_payloadLeft = payloadLength(m_header);
            m_header.clear();
        }
    }
    return !m_unmasked;
}

} // namespace Marquee
