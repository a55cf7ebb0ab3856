package dev.camrelay.relay.internal.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.mjpeg.MjpegWriter;
import dev.camrelay.relay.internal.output.mjpeg.MjpegPartEncoding;
import dev.camrelay.relay.internal.output.websocket.WsFrames;
import dev.camrelay.relay.testing.TestJpegs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One encoding per frame and protocol, shared by every viewer, and freed only after the last viewer let go. */
class SharedEncodingTest {
  private static JpegFrame jpeg(int n) throws Exception {
    return JpegFrame.parse(TestJpegs.frame(n));
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }

  /**
   * The pooled buffer under a derived one. One {@code unwrap()} is not enough: for the buffers Netty's leak detector
   * samples (1 in 128 by default) the duplicate comes wrapped in a leak-aware buffer, whose {@code unwrap()} is the
   * duplicate itself.
   */
  private static ByteBuf pooled(ByteBuf derived) {
    ByteBuf b = derived;
    while (b.unwrap() != null) {
      b = b.unwrap();
    }
    return b;
  }

  @Test
  void viewersOfOneFrameShareOneDirectBufferWithTheProtocolsFraming() throws Exception {
    SharedEncoding shared = new SharedEncoding(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
    JpegFrame f = jpeg(2);
    ByteBuf a = shared.retained(f);
    ByteBuf b = shared.retained(f);
    try {
      assertThat(a.isDirect()).isTrue();
      assertThat(pooled(a)).isSameAs(pooled(b));
      assertThat(a.readableBytes()).isEqualTo(4 + f.size());
      assertThat(a.getByte(0)).isEqualTo((byte) 0x82);
      byte[] payload = new byte[f.size()];
      a.getBytes(4, payload);
      assertThat(payload).isEqualTo(f.toByteArray());
    } finally {
      a.release();
      b.release();
      shared.release();
    }
  }

  @Test
  void mjpegPartsAreHeaderJpegAndCrlf() throws Exception {
    SharedEncoding shared = new SharedEncoding(new MjpegPartEncoding(new MjpegWriter("camrelayframe")),
        PooledByteBufAllocator.DEFAULT);
    JpegFrame f = jpeg(3);
    ByteBuf part = shared.retained(f);
    try {
      String text = new String(bytes(part), StandardCharsets.ISO_8859_1);
      assertThat(text).startsWith("--camrelayframe\r\nContent-Type: image/jpeg\r\nContent-Length: " + f.size()
          + "\r\n\r\n").endsWith("\r\n");
    } finally {
      part.release();
      shared.release();
    }
  }

  @Test
  void aFramesBufferStaysIntactWhileAViewerWritesItAndIsFreedAfter() throws Exception {
    SharedEncoding shared = new SharedEncoding(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
    ByteBuf first = shared.retained(jpeg(4));
    ByteBuf underlying = pooled(first);
    byte[] firstBytes = bytes(first);
    // Two newer frames: the first is no longer kept, but a viewer still writes from it.
    shared.retained(jpeg(5)).release();
    shared.retained(jpeg(6)).release();
    assertThat(first.refCnt()).isPositive();
    assertThat(bytes(first)).isEqualTo(firstBytes);
    first.release();
    assertThat(underlying.refCnt()).isZero();
    shared.release();
  }

  @Test
  void registryFreesACamerasEncodingWithItsLastViewer() throws Exception {
    SharedEncodings registry = new SharedEncodings(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
    SharedEncoding a = registry.acquire("cam");
    SharedEncoding b = registry.acquire("cam");
    assertThat(b).isSameAs(a);
    ByteBuf kept = a.retained(jpeg(7));
    ByteBuf underlying = pooled(kept);
    kept.release();
    registry.release("cam", a);
    assertThat(underlying.refCnt()).isPositive();
    registry.release("cam", b);
    assertThat(underlying.refCnt()).isZero();
    assertThat(registry.users()).isZero();
    assertThat(registry.acquire("cam")).isNotSameAs(a);
  }

  @Test
  void viewersOfOneFrameShareOneEncodingEachWritingItFromItsOwnPosition() throws Exception {
    SharedEncoding shared = new SharedEncoding(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
    JpegFrame f = jpeg(2);
    SharedEncoding.Encoded a = shared.acquire(f);
    SharedEncoding.Encoded b = shared.acquire(f);
    try {
      assertThat(b).isSameAs(a);
      ByteBuffer first = a.view();
      ByteBuffer second = b.view();
      first.position(first.limit()); // one viewer wrote all of it
      assertThat(second.isDirect()).isTrue();
      assertThat(second.remaining()).isEqualTo(4 + f.size());
      assertThat(second.get(0)).isEqualTo((byte) 0x82);
    } finally {
      a.release();
      b.release();
      shared.release();
    }
  }

  @Test
  void anEncodingOutlivesBeingKeptUntilItsLastWriterLetsGo() throws Exception {
    SharedEncoding shared = new SharedEncoding(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
    SharedEncoding.Encoded first = shared.acquire(jpeg(4));
    ByteBuffer view = first.view();
    byte[] before = new byte[view.remaining()];
    view.duplicate().get(before);
    shared.acquire(jpeg(5)).release();
    shared.acquire(jpeg(6)).release(); // the first frame is no longer kept, but a viewer still writes from it
    assertThat(first.buf.refCnt()).isPositive();
    byte[] after = new byte[view.remaining()];
    view.duplicate().get(after);
    assertThat(after).isEqualTo(before);
    first.release();
    assertThat(first.buf.refCnt()).isZero();
    shared.release();
  }

  @Test
  void aThreadReusesAViewItGaveBackAndNoOtherThreadGetsItsViews() throws Exception {
    SharedEncoding shared = new SharedEncoding(WsFrames.ENCODING, PooledByteBufAllocator.DEFAULT);
    JpegFrame f = jpeg(8);
    SharedEncoding.Encoded e = shared.acquire(f);
    try {
      ByteBuffer first = e.borrowView();
      ByteBuffer kept = e.borrowView(); // not given back: a viewer's write is still pending with it
      assertThat(kept).isNotSameAs(first);
      first.position(first.limit()); // written completely
      e.giveBack(first);
      ByteBuffer again = e.borrowView();
      assertThat(again).isSameAs(first);
      assertThat(again.position()).isZero();
      assertThat(again.remaining()).isEqualTo(4 + f.size());
      e.giveBack(again);
      ByteBuffer[] elsewhere = new ByteBuffer[1];
      Thread other = new Thread(() -> elsewhere[0] = e.borrowView());
      other.start();
      other.join();
      assertThat(elsewhere[0]).isNotSameAs(first).isNotSameAs(kept);
      assertThat(e.borrowView()).isSameAs(first);
    } finally {
      e.release();
      shared.release();
    }
  }
}
