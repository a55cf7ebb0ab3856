package dev.camrelay.relay.internal.port;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Event loops on Netty's native epoll transport, for a port whose connections are many and short: each loop listens
 * on the port itself ({@code SO_REUSEPORT}, see {@link TcpListener#bindOnEachLoop}) and serves what it accepts, so a
 * connection costs no hand-over from an accept thread to an I/O thread (a wake-up of another thread each time).
 * A camera that opens a connection per frame, as the ESP32 hobby sketch does, pays that per frame.
 *
 * <pre>
 *   NIO (portable):   accept thread ── accept, register ──► wake I/O thread ──► read, publish
 *   native loops:     loop 1 ── accept, read, publish          (the kernel spreads connections
 *                     loop 2 ── accept, read, publish           over the loops' sockets)
 * </pre>
 *
 * <p>Available on Linux on x86_64 and aarch64, unless the JVM runs with {@code -Dio.netty.transport.noNative=true}
 * (Netty's own switch); elsewhere {@link #createOrNull} returns null and the port is served the portable way.
 */
public final class NativeLoops {
  private NativeLoops() {}

  /** {@code threads} native event loops named {@code name-N}, or null where the native transport does not run. */
  public static EventLoopGroup createOrNull(String name, int threads) {
    if (!Epoll.isAvailable()) {
      return null;
    }
    return new EpollEventLoopGroup(threads, new DefaultThreadFactory(name, true));
  }

  /** Why the native transport is not used here (for a debug line), or null when it is. */
  public static String unavailableReason() {
    Throwable cause = Epoll.unavailabilityCause();
    return cause == null ? null : cause.toString();
  }
}
