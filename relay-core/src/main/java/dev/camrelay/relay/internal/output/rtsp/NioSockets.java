package dev.camrelay.relay.internal.output.rtsp;

import io.netty.channel.Channel;
import io.netty.channel.nio.AbstractNioChannel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * The JDK socket under a Netty NIO channel, for a write that skips Netty's outbound buffer when it is empty
 * ({@link InterleavedSink}). Netty keeps the accessor protected; when it cannot be reached (another transport, a
 * future Netty) this says null and callers write through Netty as usual.
 */
final class NioSockets {
  private static final MethodHandle JAVA_CHANNEL = javaChannelAccessor();

  private NioSockets() {}

  /** The channel's JDK socket, or null when it has none that can be reached. */
  static SocketChannel socketOf(Channel channel) {
    if (JAVA_CHANNEL == null || !(channel instanceof AbstractNioChannel)) {
      return null;
    }
    try {
      Object socket = JAVA_CHANNEL.invoke((AbstractNioChannel) channel);
      return socket instanceof SocketChannel s ? s : null;
    } catch (Throwable e) {
      return null;
    }
  }

  private static MethodHandle javaChannelAccessor() {
    try {
      Method m = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
      m.setAccessible(true);
      return MethodHandles.lookup().unreflect(m);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
