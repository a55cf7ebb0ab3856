package dev.camrelay.relay.internal.output.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.relay.testing.TestJpegs;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The shared WebSocket encoding of a frame: exact header bytes, native memory, and safe reuse of its buffer. */
class WsFramesTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JpegFrame jpeg(int n) throws Exception {
    return JpegFrame.parse(TestJpegs.frame(n));
  }

  private static String head(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.duplicate().get(out);
    return HEX.formatHex(out);
  }

  /** A structurally complete 29-byte JPEG: SOI, SOF0 (1x1, one component), SOS, one data byte, EOI. */
  private static final String TINY = "ffd8" + "ffc0000b080001000101011100" + "ffda000801010000003f00" + "00" + "ffd9";

  private static JpegFrame tiny() throws Exception {
    return JpegFrame.parse(HEX.parseHex(TINY));
  }

  @Test
  void headerIsFinBinaryWithTheShortestLengthEncoding() throws Exception {
    ByteBuffer small = WsFrames.binary(tiny());
    assertThat(head(small, small.remaining())).isEqualTo("821d" + TINY);

    JpegFrame medium = jpeg(1); // a few KB: 16-bit length
    assertThat(medium.size()).isBetween(126, 0xFFFF);
    ByteBuffer m = WsFrames.binary(medium);
    assertThat(m.remaining()).isEqualTo(4 + medium.size());
    assertThat(head(m, 4)).isEqualTo("827e" + String.format("%04x", medium.size()));

    JpegFrame big = JpegFrame.parse(TestJpegs.bigFrame(1, 320, 240)); // > 64 KB: 64-bit length
    assertThat(big.size()).isGreaterThan(0xFFFF);
    ByteBuffer b = WsFrames.binary(big);
    assertThat(head(b, 10)).isEqualTo("827f" + String.format("%016x", big.size()));
    assertThat(b.remaining()).isEqualTo(10 + big.size());
  }

  @Test
  void viewersOfOneFrameShareOneNativeEncoding() throws Exception {
    WsFrames.Cache cache = new WsFrames.Cache();
    JpegFrame f = jpeg(2);
    WsFrames.Encoded a = cache.acquire(f);
    WsFrames.Encoded b = cache.acquire(f);
    assertThat(b).isSameAs(a);
    ByteBuffer view = a.view();
    assertThat(view.isDirect()).isTrue();
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.remaining()).isEqualTo(4 + f.size());
    byte[] payload = new byte[f.size()];
    view.position(4);
    view.get(payload);
    assertThat(payload).isEqualTo(f.toByteArray());
    assertThat(a.refCount()).isEqualTo(3); // the cache's own reference and two viewers'
  }

  @Test
  void aBufferIsReusedOnlyAfterEveryViewerReleasedIt() throws Exception {
    WsFrames.Cache cache = new WsFrames.Cache();
    WsFrames.Encoded first = cache.acquire(jpeg(3));
    String firstBytes = head(first.view(), first.view().remaining());
    // A newer frame: the cache drops its reference to the first, but a viewer still writes from it.
    WsFrames.Encoded second = cache.acquire(jpeg(4));
    assertThat(cache.pooled()).isZero();
    WsFrames.Encoded third = cache.acquire(jpeg(5));
    assertThat(head(first.view(), first.view().remaining())).isEqualTo(firstBytes); // untouched while referenced
    first.release(); // the last reference: back to the pool
    assertThat(cache.pooled()).isEqualTo(1);
    second.release();
    assertThat(cache.pooled()).isEqualTo(2); // the cache had already let go of the second frame too
    third.release();
    assertThat(cache.pooled()).isEqualTo(2); // still the cache's latest frame
    WsFrames.Encoded fourth = cache.acquire(jpeg(6)); // reuses a pooled buffer, releases the third
    assertThat(cache.pooled()).isEqualTo(2);
    assertThat(fourth.refCount()).isEqualTo(2);
  }

  @Test
  void releasingTwiceIsABugThatIsReported() throws Exception {
    WsFrames.Cache cache = new WsFrames.Cache();
    WsFrames.Encoded e = cache.acquire(jpeg(7));
    cache.acquire(jpeg(8)).release(); // drops the cache's reference to e
    e.release();
    assertThatThrownBy(e::release).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void thePoolIsBounded() throws Exception {
    WsFrames.Cache cache = new WsFrames.Cache();
    WsFrames.Encoded[] held = new WsFrames.Encoded[10];
    for (int i = 0; i < held.length; i++) {
      held[i] = cache.acquire(jpeg(10 + i));
    }
    for (WsFrames.Encoded e : held) {
      e.release();
    }
    assertThat(cache.pooled()).isEqualTo(WsFrames.Cache.POOL_SIZE);
  }
}
