#pragma once

namespace Marquee::ChannelClose {

// Close codes in the private range: the client can tell them apart.
constexpr int UnknownEvent = 4404;
constexpr int TooSlow = 4408;
constexpr int Flood = 4429;

} // namespace Marquee::ChannelClose
