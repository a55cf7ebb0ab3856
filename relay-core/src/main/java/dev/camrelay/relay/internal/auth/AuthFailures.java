package dev.camrelay.relay.internal.auth;

import dev.camrelay.relay.internal.runtime.Addresses;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.camrelay.relay.internal.runtime.LogLimiter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows token guessing, the one rule for every port. Per client address: the {@code burst}-th wrong token, and
 * each one after it, refuses the address's token attempts for a period that starts at {@code firstRefusal} and
 * doubles up to {@code maxRefusal}; an address with no wrong token for {@value #FORGET_MINUTES} minutes (or the
 * longest refusal, if longer) starts afresh. While refused, attempts are answered at once without their token
 * being checked (ERROR 8 RATE_LIMITED, HTTP 429 with {@code Retry-After}), so the right token waits too: nothing is
 * learned by guessing meanwhile. A success resets nothing (a holder of one token could otherwise guess the others
 * between successes). Callers ask {@link #refusedForSeconds} only where a token decides access, and report
 * {@link #failed} only for a token presented and refused: a missing token is no guess.
 *
 * <p>Limits: an address is the IP (IPv6: its /64, which one host or household usually gets whole), so clients behind
 * one NAT or reverse proxy share a budget, and one address's guessing never affects another. At most
 * {@value #MAX_ADDRESSES} addresses are tracked (the least recently seen dropped first), so an attacker with more
 * addresses than that gets a fresh burst on some of them but cannot grow memory. Thread-safe and non-blocking
 * (WebSocket handshakes call it on the selector thread).
 */
public final class AuthFailures {
  private static final Logger log = LoggerFactory.getLogger(AuthFailures.class);
  static final int MAX_ADDRESSES = 10_000;
  static final int FORGET_MINUTES = 10;

  private final int burst;
  private final long firstRefusalNanos;
  private final long maxRefusalNanos;
  private final Cache<InetAddress, Strikes> byAddress;
  private final LongAdder failures = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LogLimiter logLimiter = new LogLimiter(log, 60_000);

  /** One address's record; guarded by itself. */
  private static final class Strikes {
    int failures;
    int refusals;
    long refusedUntilNanos;
  }

  public AuthFailures(int burst, Duration firstRefusal, Duration maxRefusal) {
    this.burst = burst;
    this.firstRefusalNanos = firstRefusal.toNanos();
    this.maxRefusalNanos = maxRefusal.toNanos();
    // Kept at least as long as the longest refusal, so a refused address is never forgotten early.
    long forgetNanos = Math.max(TimeUnit.MINUTES.toNanos(FORGET_MINUTES), maxRefusalNanos);
    this.byAddress = CacheBuilder.newBuilder().maximumSize(MAX_ADDRESSES)
        .expireAfterWrite(forgetNanos, TimeUnit.NANOSECONDS).build();
  }

  /**
   * Whole seconds (at least 1) that token attempts from {@code remote} are still refused, counted as a throttled
   * attempt; 0 when it may present a token now (also for a remote that is not an IP address).
   */
  public long refusedForSeconds(SocketAddress remote) {
    return refusedForSeconds(ipOf(remote));
  }

  /** As {@link #refusedForSeconds(SocketAddress)}, for a client known by its IP (null: 0). */
  public long refusedForSeconds(InetAddress ip) {
    InetAddress key = key(ip);
    Strikes s = key == null ? null : byAddress.getIfPresent(key);
    if (s == null) {
      return 0;
    }
    long left;
    synchronized (s) {
      left = s.refusedUntilNanos - System.nanoTime();
    }
    if (left <= 0) {
      return 0;
    }
    throttled.increment();
    return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L));
  }

  /** Records a token that {@code remote} presented and that was refused. */
  public void failed(SocketAddress remote) {
    failed(ipOf(remote));
  }

  /** As {@link #failed(SocketAddress)}, for a client known by its IP (null: counted, not tracked). */
  public void failed(InetAddress ip) {
    failures.increment();
    InetAddress key = key(ip);
    if (key == null) {
      return;
    }
    Strikes s = byAddress.asMap().computeIfAbsent(key, k -> new Strikes());
    long refusalNanos = 0;
    int failed;
    synchronized (s) {
      failed = ++s.failures;
      if (failed >= burst) {
        refusalNanos = firstRefusalNanos;
        for (int i = 0; i < s.refusals && refusalNanos < maxRefusalNanos; i++) {
          refusalNanos *= 2;
        }
        refusalNanos = Math.min(refusalNanos, maxRefusalNanos);
        s.refusals++;
        s.refusedUntilNanos = System.nanoTime() + refusalNanos;
      }
    }
    byAddress.put(key, s); // a new write: the quiet time that forgets the address starts again
    if (refusalNanos > 0) {
      String who = Addresses.ip(key) + (key instanceof Inet6Address ? "/64" : "");
      logLimiter.warn("throttled:" + who, "refusing token attempts from " + who + " for "
          + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(refusalNanos)) + " s after " + failed
          + " wrong tokens (see camrelay_auth_throttled_total)");
    }
  }

  /** The text every port sends a refused address, naming the wait. */
  public static String refusal(long seconds) {
    return "too many failed token attempts from your address; retry in " + seconds + " s";
  }

  /** Wrong tokens presented so far, on every port. */
  /** Registers {@code camrelay_auth_failures_total} and {@code camrelay_auth_throttled_total}. */
  public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.FunctionCounter.builder("camrelay.auth.failures", failures, LongAdder::sum)
        .description("Wrong tokens presented, on every port (a missing token is not counted).").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("camrelay.auth.throttled", throttled, LongAdder::sum)
        .description("Token attempts refused unchecked because their address presented too many wrong tokens lately.")
        .register(registry);
  }

  public long failures() {
    return failures.sum();
  }

  /** Token attempts refused so far because their address was throttled. */
  public long throttled() {
    return throttled.sum();
  }

  /** Addresses tracked right now (for tests). */
  long tracked() {
    byAddress.cleanUp();
    return byAddress.size();
  }

  private static InetAddress ipOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress isa ? isa.getAddress() : null;
  }

  /** What is tracked for {@code ip}: the IPv4 address itself, an IPv6 address's /64 prefix; null for null. */
  static InetAddress key(InetAddress ip) {
    if (!(ip instanceof Inet6Address)) {
      return ip;
    }
    byte[] prefix = Arrays.copyOf(ip.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(prefix);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are an IPv6 address", e);
    }
  }
}
