#pragma once

#include <QByteArray>
#include <QList>
#include <utility>

namespace Marquee {

/// The headers every HTTP answer of the server carries, whether it goes out
/// through HttpReply or is written by hand before Qt's parser ran (refusals
/// of LimitedTcpServer). One list, so the two cannot drift apart.
/// The policy allows no inline script or style: the web page loads its
/// scripts and its style sheet as files (resources/web).
namespace SecurityHeaders {

using Header = std::pair<QByteArray, QByteArray>;

const QList<Header> &all();
/// The same as "Name: value\r\n" lines, for an answer written by hand.
const QByteArray &raw();

} // namespace SecurityHeaders

} // namespace Marquee
