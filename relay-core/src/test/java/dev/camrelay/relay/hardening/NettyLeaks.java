package dev.camrelay.relay.hardening;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Netty reports a leaked buffer ("LEAK: ByteBuf.release() was not called ...", at ERROR) only when the garbage
 * collector has found it and a later allocation is tracked; this makes both happen, so a test's log shows leaks.
 */
final class NettyLeaks {
  private NettyLeaks() {}

  static void triggerReports() throws InterruptedException {
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(50);
      for (int i = 0; i < 256; i++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(64);
        a.release();
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(64);
        b.release();
      }
    }
  }
}
