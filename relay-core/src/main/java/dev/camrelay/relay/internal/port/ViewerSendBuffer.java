package dev.camrelay.relay.internal.port;

import java.util.function.IntConsumer;

/**
 * Sizes one viewer's kernel send buffer ({@code SO_SNDBUF}) from the rate at which that viewer actually takes bytes:
 * {@code buffer = clamp(rate × 100 ms, 32 KiB, cap)}, re-evaluated after every 100 ms the socket was full.
 * One rule for every viewer socket (WebSocket and MJPEG).
 *
 * <p>Why: the relay hands a viewer its next frame only once the previous one is entirely in the kernel (newest
 * wins), so everything the kernel still holds is what makes the next frame late. A fixed small buffer keeps a slow
 * viewer fresh but also caps every viewer at about buffer / RTT (at 32 KiB: ~1 frame per second of 2 MB JPEGs even
 * on loopback, measured); a fixed large one lets a slow viewer's kernel queue hold
 * seconds of video. What the relay wants is what {@code TCP_NOTSENT_LOWAT} gives — little unsent data, no limit on
 * data in flight — but Java NIO cannot set that option (and the HTTP port uses Netty's NIO transport too). Sizing
 * the buffer to ~100 ms of the measured rate is the portable equivalent: a slow link's buffer stays small (its queue
 * drains in ~100–200 ms; Linux doubles the value set, for bookkeeping), while a fast or long link's buffer grows,
 * because a buffer-limited link drains its full buffer in one RTT, so {@code rate × 100 ms} exceeds the current size
 * whenever the RTT is below ~100–200 ms and the buffer, not the link, is what limits the rate.
 *
 * <p>Measuring: only while the socket is full (a write left bytes unwritten) does the rate at which it accepts more
 * equal the rate at which the viewer takes them; a viewer that keeps up never fills it and keeps its size. So the
 * sizer adds up the time the socket was full and the bytes it accepted meanwhile (not counting the write that filled
 * it), and every 100 ms of such backlog it divides one by the other. Pauses of a reader that stops and then drains
 * in a burst count as full time, so such a reader is measured at its average rate, not its burst rate. Each
 * evaluation at most doubles or halves the size: one lucky burst or one late wake-up of a busy relay thread moves it
 * one step, a steady rate takes it all the way (32 KiB to 4 MiB in seven steps).
 *
 * <p>Limits: a link with an RTT above ~100–200 ms stays limited by its buffer, below what it could carry. A cap at or
 * below 32 KiB pins the size (no measuring). The kernel clamps the size to
 * {@code net.core.wmem_max} (208 KiB on a stock kernel, i.e. 416 KiB in the kernel): raise that sysctl for fast long
 * links. Over the relay's own TLS, WebSocket viewers keep 32 KiB (the library's TLS channel hides whether the socket
 * is full); MJPEG over TLS adapts only as far as Netty's TLS handler reports write progress (not measured). Not
 * thread-safe: callers serialise their writes anyway (a lock or an event loop).
 */
public final class ViewerSendBuffer {
  /** The smallest size, and every viewer's size until it has been measured: the former fixed default. */
  public static final int FLOOR = 32 * 1024;
  /** How much of the measured rate the buffer holds. */
  static final long HORIZON_NANOS = 100_000_000L;
  /** Full-socket time per evaluation. */
  static final long WINDOW_NANOS = 100_000_000L;
  /** Changes smaller than an eighth are not worth a system call. */
  private static final int HYSTERESIS_SHIFT = 3;

  private final int floor;
  private final int cap;
  private final IntConsumer apply;
  private int size;
  private boolean backlogged;
  private long backlogSinceNanos;
  /** Full-socket time and the bytes accepted in it, since the last evaluation. */
  private long backlogNanos;
  private long backlogBytes;

  /**
   * @param cap the largest size ({@code --viewer-send-buffer}); at or below {@link #FLOOR} the size is fixed at it
   * @param apply sets the socket's {@code SO_SNDBUF}; called with the first size at once
   */
  public ViewerSendBuffer(int cap, IntConsumer apply) {
    this.cap = cap;
    this.floor = initialSize(cap);
    this.apply = apply;
    this.size = floor;
    apply.accept(size);
  }

  /** The size a viewer socket starts with under {@code cap}. */
  public static int initialSize(int cap) {
    return Math.min(cap, FLOOR);
  }

  /** The size last set. */
  public int size() {
    return size;
  }

  /**
   * Whether {@link #wrote} with {@code full} would read its time: not for a write that took everything while the
   * socket was not full (most writes), so callers can skip reading the clock.
   */
  public boolean usesClock(boolean full) {
    return floor != cap && (full || backlogged);
  }

  /**
   * A write to the socket accepted {@code bytes}; {@code full} when it took less than it was offered (so the kernel
   * buffer is full now).
   */
  public void wrote(long nowNanos, long bytes, boolean full) {
    if (floor == cap) {
      return;
    }
    if (backlogged) {
      backlogNanos += nowNanos - backlogSinceNanos;
      backlogBytes += bytes;
      backlogSinceNanos = nowNanos;
      backlogged = full;
      if (backlogNanos >= WINDOW_NANOS) {
        evaluate();
      }
    } else if (full) {
      // What this write took only filled the free space; the rate shows in what the socket takes after it.
      backlogged = true;
      backlogSinceNanos = nowNanos;
    }
  }

  private void evaluate() {
    long target = (long) ((double) backlogBytes * HORIZON_NANOS / backlogNanos);
    backlogBytes = 0;
    backlogNanos = 0;
    target = Math.max(size / 2, Math.min(2L * size, target));
    int next = (int) Math.max(floor, Math.min(cap, target));
    if (Math.abs(next - size) > size >> HYSTERESIS_SHIFT) {
      size = next;
      apply.accept(next);
    }
  }
}
