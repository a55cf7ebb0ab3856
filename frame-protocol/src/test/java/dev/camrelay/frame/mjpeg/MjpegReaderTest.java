package dev.camrelay.frame.mjpeg;

import static dev.camrelay.frame.jpeg.Fixtures.concat;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.CORRUPT;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.GARBAGE;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.OVERSIZED;
import static dev.camrelay.frame.jpeg.JpegSplitter.Discard.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.camrelay.frame.jpeg.CollectingListener;
import dev.camrelay.frame.jpeg.CollectingListener.DiscardReport;
import dev.camrelay.frame.jpeg.Fixtures;
import dev.camrelay.frame.jpeg.JpegFrame;
import dev.camrelay.frame.jpeg.JpegSplitter;
import dev.camrelay.frame.internal.BufferFeeder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MjpegReaderTest {
  static final String ESP32_BOUNDARY = "123456789000000000000987654321";
  static final int MAX = JpegSplitter.DEFAULT_MAX_FRAME_BYTES;

  private final CollectingListener out = new CollectingListener();

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The body exactly as the ESP32 CameraWebServer's stream_handler sends it (after HTTP de-chunking). */
  static byte[] esp32Body(List<byte[]> jpegs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int usec = 123456;
    for (byte[] jpeg : jpegs) {
      body.writeBytes(ascii("\r\n--" + ESP32_BOUNDARY + "\r\n"));
      body.writeBytes(ascii("Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length
          + "\r\nX-Timestamp: 1718000000." + String.format("%06d", usec++) + "\r\n\r\n"));
      body.writeBytes(jpeg);
    }
    return body.toByteArray();
  }

  private static void feedInChunks(MjpegReader r, byte[] in, long seed, int maxChunk) throws Exception {
    for (int[] c : Fixtures.randomChunks(in.length, seed, maxChunk)) {
      r.feed(in, c[0], c[1]);
    }
  }

  private MjpegReader reader(String boundary) {
    return new MjpegReader(boundary, MAX, out);
  }

  @Test
  void readsTheEsp32CameraWebServerStreamExactlyAsItIsSent() throws Exception {
    String contentType = "multipart/x-mixed-replace;boundary=" + ESP32_BOUNDARY; // no space, as the ESP32 sends it
    MjpegReader r = reader(MjpegReader.boundaryOf(contentType));
    byte[] in = esp32Body(Fixtures.all());
    r.feed(in, 0, in.length);
    r.endOfStream();
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(Fixtures.all()));
    assertThat(out.discards).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void anyChunkingOfTheEsp32StreamYieldsTheSameFrames(long seed) throws Exception {
    MjpegReader r = reader(ESP32_BOUNDARY);
    feedInChunks(r, esp32Body(Fixtures.all()), seed, seed == 1 ? 1 : 3000);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(Fixtures.all()));
    assertThat(out.discards).isEmpty();
  }

  @Test
  void feedingOneByteAtATimeWorksForPartsWithoutContentLength() throws Exception {
    byte[] in = bodyWithoutContentLength("frame", "\r\n", Fixtures.all());
    MjpegReader r = reader("frame");
    for (int i = 0; i < in.length; i++) {
      r.feed(in, i, 1);
    }
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(Fixtures.all()));
    assertThat(out.discards).isEmpty();
  }

  static byte[] bodyWithoutContentLength(String boundary, String eol, List<byte[]> jpegs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] jpeg : jpegs) {
      body.writeBytes(ascii("--" + boundary + eol + "Content-Type: image/jpeg" + eol + eol));
      body.writeBytes(jpeg);
      body.writeBytes(ascii(eol));
    }
    return body.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void partsWithoutContentLengthEndWhereTheJpegStructureEnds(long seed) throws Exception {
    // comment-with-ffd9 and exif-thumbnail hold FF D9 / whole JPEGs that a naive search would cut at.
    List<byte[]> jpegs = List.of(Fixtures.bytes("comment-with-ffd9.jpg"), Fixtures.bytes("exif-thumbnail.jpg"),
        Fixtures.bytes("progressive.jpg"), Fixtures.bytes("restart-markers.jpg"));
    MjpegReader r = reader("frame");
    feedInChunks(r, bodyWithoutContentLength("frame", "\r\n", jpegs), seed, 2000);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpegs));
    assertThat(out.discards).isEmpty();
  }

  @Test
  void lfOnlyLineEndsAndHeaderNamesInAnyCaseAreAccepted() throws Exception {
    byte[] a = Fixtures.bytes("baseline-420.jpg");
    byte[] b = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(ascii("--x\nCONTENT-TYPE: image/jpeg\ncontent-LENGTH:" + a.length + "\n\n"), a,
        ascii("\n--x\ncontent-type: image/jpeg\n\n"), b, ascii("\n"));
    MjpegReader r = reader("x");
    feedInChunks(r, in, 11, 100);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(a, b));
  }

  @Test
  void theBoundaryMayCarryLeadingDashesInTheHeaderOrInTheBody() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    String part = "Content-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
    byte[] in = concat(ascii("--myboundary\r\n" + part), jpeg, ascii("\r\n----myboundary\r\n" + part), jpeg,
        ascii("\r\nmyboundary\r\n" + part), jpeg);
    for (String header : List.of("multipart/x-mixed-replace; boundary=--myboundary",
        "multipart/x-mixed-replace; boundary=myboundary", "multipart/x-mixed-replace;boundary=\"--myboundary\"")) {
      CollectingListener l = new CollectingListener();
      MjpegReader r = new MjpegReader(MjpegReader.boundaryOf(header), MAX, l);
      r.feed(in, 0, in.length);
      assertThat(l.frames).as(header).hasSize(3);
    }
  }

  @Test
  void boundaryOfParsesRealWorldContentTypes() throws Exception {
    assertThat(MjpegReader.boundaryOf("multipart/x-mixed-replace;boundary=" + ESP32_BOUNDARY)).isEqualTo(ESP32_BOUNDARY);
    assertThat(MjpegReader.boundaryOf("multipart/x-mixed-replace; boundary=--myboundary")).isEqualTo("--myboundary");
    assertThat(MjpegReader.boundaryOf("Multipart/X-Mixed-Replace; BOUNDARY = \"frame boundary\"; charset=x"))
        .isEqualTo("frame boundary");
    assertThat(MjpegReader.boundaryOf("multipart/x-mixed-replace; charset=utf-8; boundary=ffmpeg")).isEqualTo("ffmpeg");
    assertThat(MjpegReader.boundaryOf("multipart/mixed;boundary=b;x=y")).isEqualTo("b");
  }

  @Test
  void boundaryOfRejectsNonMultipartTypesAndMissingBoundaries() {
    assertThatThrownBy(() -> MjpegReader.boundaryOf("text/html; charset=utf-8"))
        .isInstanceOf(MjpegFormatException.class)
        .hasMessage("Content-Type \"text/html; charset=utf-8\" is not multipart (expected multipart/x-mixed-replace; boundary=...)");
    assertThatThrownBy(() -> MjpegReader.boundaryOf("multipart/x-mixed-replace"))
        .hasMessage("Content-Type \"multipart/x-mixed-replace\" has no boundary parameter");
    assertThatThrownBy(() -> MjpegReader.boundaryOf("multipart/x-mixed-replace; boundary=--"))
        .hasMessage("Content-Type \"multipart/x-mixed-replace; boundary=--\" has no boundary parameter");
    assertThatThrownBy(() -> MjpegReader.boundaryOf(null)).isInstanceOf(MjpegFormatException.class);
    assertThatThrownBy(() -> MjpegReader.boundaryOf(";")).isInstanceOf(MjpegFormatException.class); // found by fuzzing
  }

  @Test
  void aRoundTripThroughMjpegWriterReturnsTheSameFrames() throws Exception {
    MjpegWriter w = new MjpegWriter(MjpegWriter.DEFAULT_BOUNDARY);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<JpegFrame> frames = Fixtures.frames(Fixtures.all());
    for (JpegFrame f : frames) {
      w.writePart(body, f);
    }
    MjpegReader r = reader(MjpegReader.boundaryOf(w.contentType()));
    feedInChunks(r, body.toByteArray(), 21, 4096);
    r.endOfStream();
    assertThat(out.frames).containsExactlyElementsOf(frames);
    assertThat(out.discards).isEmpty();
  }

  /**
   * MjpegWriter's advance-header form (what the relay sends browsers): each frame comes out as soon as its EOI is
   * read, before anything of the next frame, and the next part's header dangling at the end of the stream is a
   * normal end, not a lost frame.
   */
  @Test
  void advanceHeaderBodiesYieldEachFrameAtItsEoiAndEndCleanly() throws Exception {
    MjpegWriter w = new MjpegWriter(MjpegWriter.DEFAULT_BOUNDARY);
    List<JpegFrame> frames = Fixtures.frames(Fixtures.all());
    MjpegReader r = reader(MjpegReader.boundaryOf(w.contentType()));
    byte[] first = w.advanceHeader();
    r.feed(first, 0, first.length);
    byte[] trailer = w.advanceTrailer();
    for (int i = 0; i < frames.size(); i++) {
      feedInChunks(r, frames.get(i).toByteArray(), 31 + i, 1500);
      assertThat(out.frames).as("frames out once frame %d's EOI is in", i)
          .containsExactlyElementsOf(frames.subList(0, i + 1));
      r.feed(trailer, 0, trailer.length);
    }
    r.endOfStream();
    assertThat(out.frames).containsExactlyElementsOf(frames);
    assertThat(out.discards).isEmpty();
  }

  @Test
  void aJpegRightAfterTheDelimiterLineWithoutHeadersIsRead() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(ascii("--b\r\n"), jpeg, ascii("\r\n--b\r\n"), jpeg, ascii("\r\n"));
    MjpegReader r = reader("b");
    r.feed(in, 0, in.length);
    assertThat(out.frames).hasSize(2);
  }

  @Test
  void aPartThatIsNotAJpegIsDiscardedWithAReasonAndTheNextFrameArrives() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] text = ascii("hello, not a jpeg");
    byte[] in = concat(ascii("--b\r\nContent-Type: text/plain\r\nContent-Length: " + text.length + "\r\n\r\n"), text,
        ascii("\r\n--b\r\nContent-Type: text/plain\r\n\r\nno length either\r\nsecond line\r\n"),
        ascii("--b\r\nContent-Length: " + jpeg.length + "\r\n\r\n"), jpeg, ascii("\r\n"));
    MjpegReader r = reader("b");
    r.feed(in, 0, in.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg));
    assertThat(out.discards).containsExactly(
        new DiscardReport(CORRUPT, text.length,
            "part 1 (Content-Type text/plain) is not a valid JPEG: no SOI marker at offset 0 (saw 68 65)"),
        new DiscardReport(CORRUPT, 0, "part 2 (Content-Type text/plain) has no Content-Length and does not start"
            + " with a JPEG SOI (saw 6e)"),
        new DiscardReport(GARBAGE, 31, "31 bytes outside any part, starting with 6e 6f 20 6c 65 6e 67 74 …"));
  }

  @Test
  void aCorruptJpegPartIsNeverEmitted() throws Exception {
    byte[] jpeg = Fixtures.bytes("baseline-420.jpg").clone();
    jpeg[21] = 0x05; // invalid marker where the COM segment begins
    byte[] good = Fixtures.bytes("tiny-8x8.jpg");
    byte[] withLength = concat(ascii("--b\r\nContent-Length: " + jpeg.length + "\r\n\r\n"), jpeg,
        ascii("\r\n--b\r\nContent-Length: " + good.length + "\r\n\r\n"), good, ascii("\r\n"));
    byte[] withoutLength = concat(ascii("--b\r\n\r\n"), jpeg, ascii("\r\n--b\r\n\r\n"), good, ascii("\r\n"));
    for (byte[] in : List.of(withLength, withoutLength)) {
      CollectingListener l = new CollectingListener();
      MjpegReader r = new MjpegReader("b", MAX, l);
      r.feed(in, 0, in.length);
      assertThat(l.frames).containsExactlyElementsOf(Fixtures.frames(good));
      assertThat(l.discards).extracting(DiscardReport::reason).startsWith(CORRUPT);
      assertThat(l.discards.get(0).detail()).isEqualTo("part 1 is not a valid JPEG: invalid marker FF 05 at offset 20");
    }
  }

  @Test
  void anOversizedContentLengthIsSkippedWithoutAllocating() throws Exception {
    byte[] big = Fixtures.bytes("large-1600x1200.jpg");
    byte[] small = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(ascii("--b\r\nContent-Length: " + big.length + "\r\n\r\n"), big,
        ascii("\r\n--b\r\nContent-Length: " + small.length + "\r\n\r\n"), small, ascii("\r\n"));
    MjpegReader r = new MjpegReader("b", 10_000, out);
    for (int[] c : Fixtures.randomChunks(in.length, 3, 1000)) {
      r.feed(in, c[0], c[1]);
      assertThat(r.bufferCapacity()).isLessThanOrEqualTo(10_000);
    }
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(small));
    assertThat(out.discards).containsExactly(new DiscardReport(OVERSIZED, big.length,
        "part 1 has Content-Length " + big.length + ", more than maxFrameBytes=10000"));
  }

  @Test
  void anOversizedPartWithoutContentLengthIsSkippedWithABoundedBuffer() throws Exception {
    byte[] big = Fixtures.bytes("large-1600x1200.jpg");
    byte[] small = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = bodyWithoutContentLength("b", "\r\n", List.of(small, big, small));
    MjpegReader r = new MjpegReader("b", 10_000, out);
    for (int[] c : Fixtures.randomChunks(in.length, 4, 1000)) {
      r.feed(in, c[0], c[1]);
      assertThat(r.bufferCapacity()).isLessThanOrEqualTo(10_000);
    }
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(small, small));
    assertThat(out.discards).extracting(DiscardReport::reason, DiscardReport::bytes)
        .containsExactly(tuple(OVERSIZED, (long) big.length));
  }

  @Test
  void aPartCutOffByTheEndOfTheStreamIsTruncated() throws Exception {
    byte[] in = esp32Body(List.of(Fixtures.bytes("baseline-420.jpg")));
    MjpegReader r = reader(ESP32_BOUNDARY);
    r.feed(in, 0, in.length - 10);
    r.endOfStream();
    assertThat(out.frames).isEmpty();
    assertThat(out.discards).extracting(DiscardReport::reason).containsExactly(TRUNCATED);
    assertThat(out.discards.get(0).detail()).isEqualTo("stream ended after 8615 bytes of part 1 (Content-Length 8625)");
  }

  @Test
  void aBareDelimiterLineAtTheEndIsANormalEndButCutHeadersAreTruncated() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(ascii("--b\r\n\r\n"), jpeg, ascii("\r\n--b\r\n"));
    MjpegReader r = reader("b");
    r.feed(in, 0, in.length);
    r.endOfStream();
    assertThat(out.discards).isEmpty();
    byte[] more = ascii("--b\r\nContent-Ty");
    r.feed(more, 0, more.length);
    r.endOfStream();
    assertThat(out.discards).containsExactly(
        new DiscardReport(TRUNCATED, 0, "stream ended inside the headers of part 1"));
  }

  @Test
  void paddingAfterTheEoiInsideContentLengthIsCutSilentlyOtherBytesAreReported() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] padded = concat(jpeg, ascii("\r\n"));
    byte[] junk = concat(jpeg, ascii("xyz"));
    byte[] in = concat(ascii("--b\r\nContent-Length: " + padded.length + "\r\n\r\n"), padded,
        ascii("--b\r\nContent-Length: " + junk.length + "\r\n\r\n"), junk, ascii("\r\n"));
    MjpegReader r = reader("b");
    r.feed(in, 0, in.length);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(jpeg, jpeg));
    assertThat(out.discards).containsExactly(new DiscardReport(GARBAGE, 3,
        "3 bytes after the JPEG's EOI inside part 2 (Content-Length " + junk.length + ")"));
  }

  @Test
  void preambleAndEpilogueLinesAreGarbageAndTheCloseDelimiterIsAccepted() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(ascii("This is a preamble.\r\n\r\n--b\r\n\r\n"), jpeg, ascii("\r\n--b--\r\nepilogue\r\n"),
        ascii("--b\r\n\r\n"), jpeg);
    MjpegReader r = reader("b");
    r.feed(in, 0, in.length);
    r.endOfStream();
    assertThat(out.frames).hasSize(2);
    assertThat(out.discards).containsExactly(
        new DiscardReport(GARBAGE, 21, "21 bytes outside any part, starting with 54 68 69 73 20 69 73 20 …"),
        new DiscardReport(GARBAGE, 10, "10 bytes outside any part, starting with 65 70 69 6c 6f 67 75 65 …"));
  }

  @Test
  void aStreamWithoutBoundaryLinesFailsWithAClearMessageAfterTheSyncLimit() {
    MjpegReader r = new MjpegReader("b", 1000, out);
    byte[] html = ascii("<html><body>" + "x".repeat(100) + "</body></html>\n");
    assertThatThrownBy(() -> {
      for (int i = 0; i < 1000; i++) {
        r.feed(html, 0, html.length);
      }
    }).isInstanceOf(MjpegFormatException.class)
        .hasMessage("no boundary line \"--b\" within 66536 bytes (saw 3c 68 74 6d 6c 3e 3c 62 …)");
    assertThatThrownBy(() -> r.feed(html, 0, 1)).hasMessage("the reader already failed; open a new stream");
  }

  @Test
  void endlessPartHeadersFailInsteadOfGrowing() {
    MjpegReader r = reader("b");
    byte[] start = ascii("--b\r\n");
    byte[] header = ascii("X-Padding: " + "y".repeat(1000) + "\r\n");
    assertThatThrownBy(() -> {
      r.feed(start, 0, start.length);
      for (int i = 0; i < 100; i++) {
        r.feed(header, 0, header.length);
      }
    }).isInstanceOf(MjpegFormatException.class).hasMessage("headers of part 1 exceed 16384 bytes");
  }

  @Test
  void anUnparsableContentLengthFallsBackToTheJpegStructure() throws Exception {
    byte[] jpeg = Fixtures.bytes("tiny-8x8.jpg");
    byte[] in = concat(ascii("--b\r\nContent-Length: about 200\r\n\r\n"), jpeg, ascii("\r\n"));
    MjpegReader r = reader("b");
    r.feed(in, 0, in.length);
    assertThat(out.frames).hasSize(1);
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> new MjpegReader("--", MAX, out)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MjpegReader("b", 3, out)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void framesCanBeKeptAfterTheInputIsReused() throws Exception {
    byte[] in = esp32Body(List.of(Fixtures.bytes("tiny-8x8.jpg")));
    MjpegReader r = reader(ESP32_BOUNDARY);
    r.feed(in, 0, in.length);
    Arrays.fill(in, (byte) 0);
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(Fixtures.bytes("tiny-8x8.jpg")));
  }

  /** The kinds of buffer a network layer hands over. */
  enum BufferKind {
    HEAP, HEAP_SLICE, READ_ONLY_HEAP, DIRECT, READ_ONLY_DIRECT;

    /** {@code in[off, off+len)} as this kind of buffer, its position and limit around exactly those bytes. */
    ByteBuffer wrap(byte[] in, int off, int len) {
      return switch (this) {
        case HEAP -> ByteBuffer.wrap(in, off, len);
        case HEAP_SLICE -> ByteBuffer.wrap(concat(new byte[3], Arrays.copyOfRange(in, off, off + len), new byte[2]))
            .position(3).slice().limit(len); // a non-zero arrayOffset, and bytes after the limit
        case READ_ONLY_HEAP -> ByteBuffer.wrap(in, off, len).asReadOnlyBuffer();
        case DIRECT -> ByteBuffer.allocateDirect(len).put(in, off, len).flip();
        case READ_ONLY_DIRECT -> ByteBuffer.allocateDirect(len).put(in, off, len).flip().asReadOnlyBuffer();
      };
    }
  }

  private static void feedBuffers(MjpegReader r, BufferKind kind, byte[] in, long seed, int maxChunk)
      throws Exception {
    for (int[] c : Fixtures.randomChunks(in.length, seed, maxChunk)) {
      ByteBuffer b = kind.wrap(in, c[0], c[1]);
      int limit = b.limit();
      r.feed(b);
      assertThat(b.position()).as("consumed").isEqualTo(limit);
      assertThat(b.limit()).isEqualTo(limit);
    }
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void byteBuffersOfEveryKindInAnyChunkingYieldTheSameFramesAndAreConsumed(BufferKind kind) throws Exception {
    byte[] in = esp32Body(Fixtures.all());
    for (long seed = 1; seed <= 3; seed++) {
      CollectingListener got = new CollectingListener();
      MjpegReader r = new MjpegReader(ESP32_BOUNDARY, MAX, got);
      feedBuffers(r, kind, in, seed, seed == 1 ? 64 : 40_000);
      r.endOfStream();
      assertThat(got.frames).as("seed %d", seed).containsExactlyElementsOf(Fixtures.frames(Fixtures.all()));
      assertThat(got.discards).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(BufferKind.class)
  void oneBufferLargerThanTheCopyChunkIsReadWhole(BufferKind kind) throws Exception {
    List<byte[]> jpegs = List.of(Fixtures.bytes("comment-with-ffd9.jpg"), Fixtures.bytes("large-1600x1200.jpg"),
        Fixtures.bytes("progressive.jpg"), Fixtures.bytes("tiny-8x8.jpg"));
    byte[] in = concat(esp32Body(jpegs), bodyWithoutContentLength(ESP32_BOUNDARY, "\r\n", jpegs));
    assertThat(in.length).isGreaterThan(3 * BufferFeeder.CHUNK);
    MjpegReader r = reader(ESP32_BOUNDARY);
    ByteBuffer b = kind.wrap(in, 0, in.length);
    r.feed(b);
    assertThat(b.hasRemaining()).isFalse();
    r.endOfStream();
    // Frames emitted early must not share the copy array that later chunks overwrite.
    assertThat(out.frames).containsExactlyElementsOf(Fixtures.frames(concatLists(jpegs, jpegs)));
    assertThat(out.discards).isEmpty();
  }

  @Test
  void aByteBufferFeedFailsLikeAnArrayFeedAndTheReaderStaysFailed() {
    MjpegReader r = new MjpegReader("b", 1000, out);
    byte[] html = ascii(("<html><body>" + "x".repeat(100) + "</body></html>\n").repeat(1000));
    assertThatThrownBy(() -> r.feed(ByteBuffer.allocateDirect(html.length).put(html).flip()))
        .isInstanceOf(MjpegFormatException.class)
        .hasMessage("no boundary line \"--b\" within 66536 bytes (saw 3c 68 74 6d 6c 3e 3c 62 …)");
    assertThatThrownBy(() -> r.feed(ByteBuffer.wrap(html, 0, 1)))
        .hasMessage("the reader already failed; open a new stream");
  }

  @Test
  void anEmptyByteBufferIsNothing() throws Exception {
    MjpegReader r = reader(ESP32_BOUNDARY);
    r.feed(ByteBuffer.allocateDirect(0));
    r.feed(ByteBuffer.allocate(0));
    r.endOfStream();
    assertThat(out.frames).isEmpty();
    assertThat(out.discards).isEmpty();
  }

  private static List<byte[]> concatLists(List<byte[]> a, List<byte[]> b) {
    List<byte[]> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static List<byte[]> list(byte[]... a) {
    return new ArrayList<>(List.of(a));
  }
}
