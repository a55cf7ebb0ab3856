package dev.camrelay.frame.jpeg;

import static dev.camrelay.frame.jpeg.Fixtures.concat;
import static dev.camrelay.frame.jpeg.Fixtures.hex;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.CORRUPT;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.GARBAGE;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.OVERSIZED;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.camrelay.frame.jpeg.CollectingListener.DiscardReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JpegSplitterTest {
  private final CollectingListener out = new CollectingListener();

  private static byte[] stream() {
    return concat(Fixtures.all());
  }

  private JpegSplitter splitter() {
    return new JpegSplitter(JpegSplitter.DEFAULT_MAX_FRAME_BYTES, out);
  }

  @Test
  void splitsAStreamOfEveryFixtureIntoByteIdenticalFrames() {
    JpegSplitter s = splitter();
    byte[] in = stream();
    s.feed(in, 0, in.length);
    s.endOfStream();
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(Fixtures.all()));
    assertThat(out.discards).isEmpty();
    assertThat(s.framesEmitted()).isEqualTo(Fixtures.ALL.size());
    assertThat(s.garbageBytes()).isZero();
  }

  @Test
  void feedingOneByteAtATimeYieldsTheSameFrames() {
    JpegSplitter s = splitter();
    byte[] in = stream();
    for (int i = 0; i < in.length; i++) {
      s.feed(in, i, 1);
    }
    s.endOfStream();
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(Fixtures.all()));
    assertThat(out.discards).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234567})
  void randomChunkCutsYieldTheSameFramesAndDiscards(long seed) {
    byte[] garbage = "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] cut = Arrays.copyOf(Fixtures.bytes("baseline-420.jpg"), 3000);
    byte[] in = concat(garbage, stream(), new byte[7], cut, Fixtures.bytes("progressive.jpg"), hex("ff"),
        Arrays.copyOf(Fixtures.bytes("tiny-8x8.jpg"), 100));

    CollectingListener whole = new CollectingListener();
    JpegSplitter reference = new JpegSplitter(JpegSplitter.DEFAULT_MAX_FRAME_BYTES, whole);
    reference.feed(in, 0, in.length);
    reference.endOfStream();

    JpegSplitter s = splitter();
    for (int[] chunk : Fixtures.randomChunks(in.length, seed, 5000)) {
      s.feed(in, chunk[0], chunk[1]);
    }
    s.endOfStream();

    assertThat(out.frames).containsExactlyElementsOf(whole.frames);
    assertThat(out.discards).isEqualTo(whole.discards);
    assertThat(whole.frames).hasSize(Fixtures.ALL.size() + 1);
    assertThat(whole.discards).extracting(DiscardReport::reason)
        .containsExactly(GARBAGE, GARBAGE, CORRUPT, GARBAGE, TRUNCATED);
    assertThat(out.accountedBytes()).isEqualTo(in.length);
  }

  @Test
  void directByteBuffersAreConsumedCompletely() {
    JpegSplitter s = splitter();
    byte[] in = stream();
    ByteBuffer direct = ByteBuffer.allocateDirect(in.length);
    direct.put(in).flip();
    s.feed(direct);
    assertThat(direct.hasRemaining()).isFalse();
    ByteBuffer heap = ByteBuffer.wrap(concat(new byte[5], in, new byte[5]), 5, in.length);
    s.feed(heap);
    assertThat(heap.remaining()).isZero();
    assertThat(out.frames).hasSize(2 * Fixtures.ALL.size());
  }

  @Test
  void readOnlyByteBuffersAreConsumedCompletely() {
    JpegSplitter s = splitter();
    byte[] in = stream();
    ByteBuffer readOnlyHeap = ByteBuffer.wrap(in).asReadOnlyBuffer();
    s.feed(readOnlyHeap);
    assertThat(readOnlyHeap.hasRemaining()).isFalse();
    ByteBuffer readOnlyDirect = ByteBuffer.allocateDirect(in.length).put(in).flip().asReadOnlyBuffer();
    s.feed(readOnlyDirect);
    assertThat(readOnlyDirect.hasRemaining()).isFalse();
    assertThat(out.frames).hasSize(2 * Fixtures.ALL.size());
    assertThat(out.frames.subList(0, Fixtures.ALL.size())).isEqualTo(out.frames.subList(Fixtures.ALL.size(), 2 * Fixtures.ALL.size()));
  }

  @Test
  void garbageBetweenFramesIsSkippedCountedAndDescribed() {
    JpegSplitter s = splitter();
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), jpeg, new byte[4],
        hex("ff ff"), jpeg, hex("ff 00 ff"));
    s.feed(in, 0, in.length);
    s.endOfStream();
    assertThat(out.frames).hasSize(2);
    assertThat(out.discards).containsExactly(
        new DiscardReport(GARBAGE, 16, "16 bytes outside any frame, starting with 47 45 54 20 2f 20 48 54 …"),
        new DiscardReport(GARBAGE, 6, "6 bytes outside any frame, starting with 00 00 00 00 ff ff"),
        new DiscardReport(GARBAGE, 3, "3 bytes outside any frame, starting with ff 00 ff"));
    assertThat(s.garbageBytes()).isEqualTo(25);
  }

  @Test
  void zeroPaddingAfterAFrameIsDescribedAsPadding() {
    JpegSplitter s = splitter();
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(jpeg, new byte[1000], jpeg);
    s.feed(in, 0, in.length);
    assertThat(out.discards).containsExactly(
        new DiscardReport(GARBAGE, 1000, "1000 zero bytes (padding) between frames"));
  }

  @Test
  void anSoiSplitAcrossChunksStartsAFrame() {
    JpegSplitter s = splitter();
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(hex("00 ff"), jpeg);
    s.feed(in, 0, 3); // 00 ff ff
    s.feed(in, 3, in.length - 3);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
    assertThat(s.garbageBytes()).isEqualTo(2);
  }

  @Test
  void ffD9InsideACommentDoesNotEndTheFrame() {
    byte[] jpeg = Fixtures.bytes("comment-with-ffd9.jpg");
    JpegSplitter s = splitter();
    s.feed(jpeg, 0, jpeg.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
    assertThat(out.discards).isEmpty();
  }

  @Test
  void anExifThumbnailIsPartOfItsFrameNotAFrameOfItsOwn() {
    byte[] jpeg = Fixtures.bytes("exif-thumbnail.jpg");
    JpegSplitter s = splitter();
    s.feed(jpeg, 0, jpeg.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
  }

  @Test
  void aFrameCutOffByTheEndOfTheStreamIsReportedTruncatedAndNeverEmitted() {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg");
    JpegSplitter s = splitter();
    s.feed(jpeg, 0, jpeg.length - 1);
    assertThat(s.midFrame()).isTrue();
    s.endOfStream();
    assertThat(s.midFrame()).isFalse();
    assertThat(out.frames).isEmpty();
    assertThat(out.discards).containsExactly(new DiscardReport(TRUNCATED, jpeg.length - 1,
        "stream ended inside the entropy-coded data of scan 1 after " + (jpeg.length - 1) + " bytes of a frame"));
    assertThat(s.truncatedFrames()).isEqualTo(1);
  }

  @Test
  void theSplitterIsReusableAfterEndOfStream() {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    JpegSplitter s = splitter();
    s.feed(jpeg, 0, 50);
    s.endOfStream();
    s.feed(jpeg, 0, jpeg.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
  }

  @Test
  void anOversizedFrameIsDroppedWithoutBufferingItAndTheNextFrameArrives() {
    byte[] big = Fixtures.bytes("large-1600x1200.jpg");
    byte[] small = Fixtures.bytes("tiny-8x8.jpg");
    int max = 10_000;
    JpegSplitter s = new JpegSplitter(max, out);
    byte[] in = concat(small, big, small);
    for (int[] chunk : Fixtures.randomChunks(in.length, 7, 3000)) {
      s.feed(in, chunk[0], chunk[1]);
      assertThat(s.bufferCapacity()).isLessThanOrEqualTo(max);
    }
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(small, small));
    assertThat(out.discards).containsExactly(new DiscardReport(OVERSIZED, big.length,
        "frame larger than maxFrameBytes=10000 (" + big.length + " bytes)"));
    assertThat(s.oversizedFrames()).isEqualTo(1);
    assertThat(s.garbageBytes()).isZero();
  }

  @Test
  void aFrameOfExactlyTheMaximumSizeIsEmitted() {
    byte[] jpeg = Fixtures.syntheticJpeg(5000);
    for (int max : new int[] {5000, 4999}) {
      CollectingListener l = new CollectingListener();
      JpegSplitter s = new JpegSplitter(max, l);
      for (int i = 0; i < jpeg.length; i += 999) {
        s.feed(jpeg, i, Math.min(999, jpeg.length - i));
      }
      s.endOfStream();
      assertThat(l.frames).hasSize(max == 5000 ? 1 : 0);
      assertThat(l.accountedBytes()).isEqualTo(5000);
      assertThat(s.bufferCapacity()).isLessThanOrEqualTo(max);
    }
  }

  @Test
  void anOversizedFrameCutShortByANewSoiStillLetsTheNextFrameThrough() {
    byte[] big = Fixtures.bytes("large-1600x1200.jpg");
    byte[] small = Fixtures.bytes("tiny-8x8.jpg");
    JpegSplitter s = new JpegSplitter(10_000, out);
    byte[] in = concat(Arrays.copyOf(big, 20_000), small);
    for (int i = 0; i < in.length; i++) {
      s.feed(in, i, 1);
    }
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(small));
    assertThat(out.discards).extracting(DiscardReport::reason, DiscardReport::bytes)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(OVERSIZED, 20_000L));
  }

  @Test
  void aCorruptFrameIsDroppedAndTheSplitterResyncsAtTheNextSoi() {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg");
    byte[] broken = jpeg.clone();
    // The second marker segment (COM at offset 20) gets an invalid marker code.
    assertThat(broken[20] & 0xFF).isEqualTo(0xFF);
    assertThat(broken[21] & 0xFF).isEqualTo(0xFE);
    broken[21] = 0x05;
    byte[] in = concat(broken, jpeg);
    JpegSplitter s = splitter();
    s.feed(in, 0, in.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
    assertThat(out.discards).containsExactly(
        new DiscardReport(CORRUPT, 22, "invalid marker FF 05 at offset 20"),
        new DiscardReport(GARBAGE, broken.length - 22, out.discards.get(1).detail()));
    assertThat(s.corruptFrames()).isEqualTo(1);
  }

  @Test
  void aSegmentLengthThatMakesNoSenseIsCorrupt() {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(hex("ffd8 ffe0 0000"), jpeg);
    JpegSplitter s = splitter();
    s.feed(in, 0, in.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
    assertThat(out.discards).containsExactly(
        new DiscardReport(CORRUPT, 6, "segment FF E0 has length 0 (< 2) at offset 2"));
  }

  @Test
  void aFrameCutShortByANewSoiIsCorruptAndTheNewFrameIsKept() {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg");
    byte[] in = concat(Arrays.copyOf(jpeg, 4000), jpeg);
    for (int split = 3998; split <= 4002; split++) {
      CollectingListener l = new CollectingListener();
      JpegSplitter s = new JpegSplitter(JpegSplitter.DEFAULT_MAX_FRAME_BYTES, l);
      s.feed(in, 0, split);
      s.feed(in, split, in.length - split);
      assertThat(l.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
      assertThat(l.discards).containsExactly(
          new DiscardReport(CORRUPT, 4000, "new SOI at offset 4000 before the EOI (frame cut short)"));
    }
  }

  @Test
  void emittedFramesOwnTheirBytes() {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = jpeg.clone();
    JpegSplitter s = splitter();
    s.feed(in, 0, 100);
    s.feed(in, 100, in.length - 100);
    s.feed(in, 0, in.length);
    Arrays.fill(in, (byte) 0);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg, jpeg));
  }

  @Test
  void framesHaveExactlyTheirSizeAndTheBufferStaysBounded() {
    byte[] in = stream();
    int max = 64 * 1024;
    JpegSplitter s = new JpegSplitter(max, out);
    for (int[] chunk : Fixtures.randomChunks(in.length, 99, 700)) {
      s.feed(in, chunk[0], chunk[1]);
    }
    assertThat(s.bufferCapacity()).isLessThanOrEqualTo(max);
    assertThat(out.frames).hasSize(Fixtures.ALL.size());
  }

  @Test
  void aTooSmallMaximumIsRejected() {
    assertThatThrownBy(() -> new JpegSplitter(3, out)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes must be at least 4, was 3");
  }

  @Test
  void feedChecksItsBounds() {
    assertThatThrownBy(() -> splitter().feed(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void countersTrackEveryOutcome() {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    List<byte[]> parts = List.of(hex("0102"), jpeg, hex("ffd8 ff05"), jpeg, Arrays.copyOf(jpeg, 30));
    byte[] in = concat(parts);
    JpegSplitter s = splitter();
    s.feed(in, 0, in.length);
    s.endOfStream();
    assertThat(new long[] {s.framesEmitted(), s.garbageBytes(), s.corruptFrames(), s.truncatedFrames(),
        s.oversizedFrames()}).containsExactly(2, 2, 1, 1, 0);
  }
}
