package dev.camrelay.relay.internal.port.rtsp;

/** A {@code $}-framed packet a client sent on its RTSP connection (usually an RTCP receiver report); dropped. */
record InterleavedPacket(int channel, int length) {}
