#include "Gzip.h"

#include <zlib.h>

namespace Marquee {

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    // 15 window bits + 16: zlib writes the gzip header and trailer itself.
    // The default level: the arena's plan in 18 ms on the server's thread,
    // once per catalog load, at 257 KB (the best level: 83 ms for 241 KB).
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = deflate(&stream, Z_FINISH);
    const qsizetype written = qsizetype(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END)
        return {};
    out.truncate(written);
    return out;
}

} // namespace Marquee
