#pragma once

#include <QByteArray>

namespace Marquee {

/// \a data as a gzip member (RFC 1952), through zlib: for bodies sent with
/// Content-Encoding: gzip. Empty when zlib fails (then send it plain).
QByteArray gzip(const QByteArray &data);

} // namespace Marquee
