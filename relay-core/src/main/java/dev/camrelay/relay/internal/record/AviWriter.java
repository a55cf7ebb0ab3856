package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes JPEGs as one MJPEG video stream in an AVI file that VLC, ffmpeg, mpv and Windows play as is: the JPEGs go
 * in unchanged ({@code 00dc} chunks), indexed three ways so that every player finds them:
 *
 * <ul>
 *   <li>an OpenDML (AVI 2.0) super index ({@code indx} in the stream header) pointing at one standard index chunk
 *       ({@code ix00}) per RIFF, so files beyond 1 GiB stay valid: past {@link #DEFAULT_RIFF_LIMIT} the file goes on
 *       in {@code RIFF AVIX} extensions, each with its own {@code movi} list and {@code ix00};</li>
 *   <li>a legacy {@code idx1} covering the first RIFF, for players that know only AVI 1.0 (they see the first
 *       GiB).</li>
 * </ul>
 *
 * <p>AVI has a constant frame rate only: the header gets the measured average ({@code (frames - 1) / (last - first)}
 * over the times given to {@link #write}), rewritten when the file is finished. Real per-frame times belong in a
 * sidecar ({@link FrameTimes}).
 *
 * <p>Until {@link #close()} the header holds placeholders and the last RIFF is open; a file left like that by a crash
 * is made whole by {@link AviRepair}. The super index's entry count is written last, so a non-zero count means the
 * file was finished. Limits: {@value #SUPER_INDEX_ENTRIES} RIFFs (256 GiB at the default limit; {@link #full()} tells
 * the caller to start a new file well before), width and height from the first frame (a camera that changes
 * resolution needs a new file). Not thread-safe.
 */
public final class AviWriter implements AutoCloseable {
  /** Size at which a RIFF is closed and an AVIX extension begins: 1 GiB, what AVI 1.0 players can read. */
  public static final long DEFAULT_RIFF_LIMIT = 1L << 30;
  static final int SUPER_INDEX_ENTRIES = 256;

  // Header layout: fixed, so finishing and repair can rewrite it in place.
  static final int AVIH_DATA = 32;
  static final int STRH_DATA = 108;
  static final int STRF_DATA = 172;
  static final int INDX_CHUNK = 212;
  static final int INDX_DATA = INDX_CHUNK + 8;
  static final int INDX_BYTES = 24 + SUPER_INDEX_ENTRIES * 16;
  static final int ODML_LIST = INDX_DATA + INDX_BYTES;
  static final int DMLH_DATA = ODML_LIST + 20;
  static final int DMLH_BYTES = 248;
  /** Offset of the first RIFF's {@code LIST movi}. */
  static final int MOVI_LIST = DMLH_DATA + DMLH_BYTES;
  /** Offset of the first frame chunk. */
  static final int FIRST_CHUNK = MOVI_LIST + 12;
  private static final int BUFFER_BYTES = 256 * 1024;
  private static final int IX_HEADER = 32;

  private final ChannelOut out;
  private final int width;
  private final int height;
  private final long riffLimit;
  private final List<long[]> indexChunks = new ArrayList<>(); // {offset, size, frames}
  private long riffStart;
  private long moviList;
  private long[] offsets = new long[1024]; // JPEG data offsets in the current RIFF
  private int[] sizes = new int[1024];
  private int riffFrames;
  private long firstRiffFrames = -1;
  private long firstRiffBytes;
  private long totalFrames;
  private long firstMicros;
  private long lastMicros;
  private int largestFrame;
  private boolean closed;

  private AviWriter(ChannelOut out, int width, int height, long riffLimit) {
    this.out = out;
    this.width = width;
    this.height = height;
    this.riffLimit = riffLimit;
  }

  /** A new standalone file (a clip, an export); replaces one that exists. */
  public static AviWriter create(Path file, int width, int height) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      return start(ch, width, height, DEFAULT_RIFF_LIMIT);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Starts a file on an empty channel: writes the placeholder header and opens the first RIFF's movi list. */
  static AviWriter start(FileChannel ch, int width, int height, long riffLimit) throws IOException {
    AviWriter w = new AviWriter(new ChannelOut(ch, 0, BUFFER_BYTES), width, height, riffLimit);
    w.out.append(w.header(0, 0));
    w.riffStart = 0;
    w.moviList = MOVI_LIST;
    w.out.appendFourcc("LIST");
    w.out.appendInt(0);
    w.out.appendFourcc("movi");
    return w;
  }

  /**
   * Continues a file a crash left unfinished, for {@link AviRepair}: the channel ends right after the last frame
   * chunk of the open RIFF at {@code riffStart}; RIFFs before it are complete with their {@code ix00} chunks.
   */
  static AviWriter resume(FileChannel ch, int width, int height, List<long[]> doneIndexChunks, long firstRiffFrames,
      long firstRiffBytes, long riffStart, long[] offsets, int[] sizes, long firstMicros, long lastMicros)
      throws IOException {
    AviWriter w = new AviWriter(new ChannelOut(ch, ch.size(), BUFFER_BYTES), width, height, DEFAULT_RIFF_LIMIT);
    w.indexChunks.addAll(doneIndexChunks);
    w.firstRiffFrames = firstRiffFrames;
    w.firstRiffBytes = firstRiffBytes;
    w.riffStart = riffStart;
    w.moviList = riffStart == 0 ? MOVI_LIST : riffStart + 12;
    w.offsets = Arrays.copyOf(offsets, Math.max(16, offsets.length));
    w.sizes = Arrays.copyOf(sizes, Math.max(16, sizes.length));
    w.riffFrames = offsets.length;
    w.totalFrames = offsets.length;
    for (long[] c : doneIndexChunks) {
      w.totalFrames += c[2];
    }
    for (int s : sizes) {
      w.largestFrame = Math.max(w.largestFrame, s);
    }
    w.firstMicros = firstMicros;
    w.lastMicros = lastMicros;
    return w;
  }

  /** Appends one JPEG taken at {@code epochMicros} (used for the average frame rate). */
  public void write(long epochMicros, byte[] jpeg) throws IOException {
    write(epochMicros, ByteBuffer.wrap(jpeg));
  }

  /**
   * Appends one JPEG (its remaining bytes; the buffer's position is not changed).
   *
   * @return the file offset of the JPEG's first byte
   */
  public long write(long epochMicros, ByteBuffer jpeg) throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    int size = jpeg.remaining();
    long needed = out.position() - riffStart + 8L + size + 1 + (riffFrames + 1L) * 24 + IX_HEADER + 16;
    if (riffFrames > 0 && needed > riffLimit) {
      closeRiff();
      startExtension();
    }
    if (totalFrames == 0) {
      firstMicros = epochMicros;
    }
    lastMicros = Math.max(lastMicros, epochMicros);
    out.appendFourcc("00dc");
    out.appendInt(size);
    long offset = out.position();
    out.append(jpeg.duplicate());
    if ((size & 1) != 0) {
      out.appendZeros(1);
    }
    if (riffFrames == offsets.length) {
      offsets = Arrays.copyOf(offsets, riffFrames * 2);
      sizes = Arrays.copyOf(sizes, riffFrames * 2);
    }
    offsets[riffFrames] = offset;
    sizes[riffFrames] = size;
    riffFrames++;
    totalFrames++;
    largestFrame = Math.max(largestFrame, size);
    return offset;
  }

  /** Frames written so far. */
  public long frames() {
    return totalFrames;
  }

  /** Bytes in the file so far, buffered ones included. */
  public long bytes() {
    return out.position();
  }

  /** True when the file has as many RIFFs as its super index can point at: finish it and start another. */
  public boolean full() {
    return indexChunks.size() >= SUPER_INDEX_ENTRIES - 1;
  }

  /** Hands buffered bytes to the operating system. */
  public void flush() throws IOException {
    out.flush();
  }

  /** Flushes and waits until the data is on the disk. */
  public void force() throws IOException {
    out.force();
  }

  /** Writes the indexes and the final header, syncs, and closes the file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      finish();
    } finally {
      out.close();
    }
  }

  /** Closes the file as it is, unfinished (after a write failure; {@link AviRepair} finishes it later). */
  void abandon() throws IOException {
    closed = true;
    out.close();
  }

  private void finish() throws IOException {
    closeRiff();
    out.force();
    // The super index's entry count, inside this header, marks the file finished: written after everything else.
    out.patch(0, header(firstRiffBytes, indexChunks.size()));
    out.force();
  }

  private void startExtension() throws IOException {
    riffStart = out.position();
    moviList = riffStart + 12;
    out.appendFourcc("RIFF");
    out.appendInt(0);
    out.appendFourcc("AVIX");
    out.appendFourcc("LIST");
    out.appendInt(0);
    out.appendFourcc("movi");
  }

  /** Ends the open RIFF: its {@code ix00}, the movi list's size, {@code idx1} for the first, the RIFF's size. */
  private void closeRiff() throws IOException {
    long ix = out.position();
    out.appendFourcc("ix00");
    out.appendInt(IX_HEADER - 8 + riffFrames * 8);
    out.appendShort(2);
    out.appendShort(0x0100); // bIndexSubType 0, bIndexType AVI_INDEX_OF_CHUNKS
    out.appendInt(riffFrames);
    out.appendFourcc("00dc");
    out.appendLong(moviList); // base offset: entries are relative to this RIFF's movi list, so they fit 32 bits
    out.appendInt(0);
    for (int i = 0; i < riffFrames; i++) {
      out.appendInt((int) (offsets[i] - moviList));
      out.appendInt(sizes[i]); // bit 31 clear: every MJPEG frame is a key frame
    }
    indexChunks.add(new long[] {ix, IX_HEADER + riffFrames * 8L, riffFrames});
    out.patchInt(moviList + 4, (int) (out.position() - moviList - 8));
    if (riffStart == 0) {
      out.appendFourcc("idx1");
      out.appendInt(riffFrames * 16);
      long moviFourcc = MOVI_LIST + 8;
      for (int i = 0; i < riffFrames; i++) {
        out.appendFourcc("00dc");
        out.appendInt(0x10); // AVIIF_KEYFRAME
        out.appendInt((int) (offsets[i] - 8 - moviFourcc));
        out.appendInt(sizes[i]);
      }
      firstRiffFrames = riffFrames;
      firstRiffBytes = out.position() - 8;
    } else {
      out.patchInt(riffStart + 4, (int) (out.position() - riffStart - 8));
    }
    riffFrames = 0;
  }

  /** The header, bytes 0 to {@link #MOVI_LIST}, with final values once frames are known. */
  private ByteBuffer header(long riffBytes, int indexEntries) {
    ByteBuffer b = ByteBuffer.allocate(MOVI_LIST).order(ByteOrder.LITTLE_ENDIAN);
    long frames = totalFrames;
    long durationMicros = lastMicros - firstMicros;
    // Rate as frames per 1000 s, so 12.345 fps stays exact enough; 1 fps when unknown.
    long rate = frames > 1 && durationMicros > 0 ? Math.round((frames - 1) * 1e9 / durationMicros) : 1000;
    rate = Math.max(1, Math.min(1_000_000, rate)); // 0.001 to 1000 fps
    int scale = 1000;
    int usPerFrame = (int) Math.min(Integer.MAX_VALUE, Math.round(1e6 * scale / rate));
    fourcc(b, "RIFF").putInt((int) riffBytes);
    fourcc(b, "AVI ");
    fourcc(b, "LIST").putInt(MOVI_LIST - 20);
    fourcc(b, "hdrl");
    fourcc(b, "avih").putInt(56);
    check(b, AVIH_DATA);
    b.putInt(usPerFrame);
    b.putInt((int) Math.min(Integer.MAX_VALUE, (long) largestFrame * rate / scale));
    b.putInt(0); // padding granularity
    b.putInt(0x10); // AVIF_HASINDEX
    b.putInt((int) Math.max(0, firstRiffFrames < 0 ? frames : firstRiffFrames));
    b.putInt(0); // initial frames
    b.putInt(1); // streams
    b.putInt(largestFrame + 8);
    b.putInt(width).putInt(height);
    b.putInt(0).putInt(0).putInt(0).putInt(0);
    fourcc(b, "LIST").putInt(ODML_LIST - 96);
    fourcc(b, "strl");
    fourcc(b, "strh").putInt(56);
    check(b, STRH_DATA);
    fourcc(b, "vids");
    fourcc(b, "MJPG");
    b.putInt(0); // flags
    b.putShort((short) 0).putShort((short) 0); // priority, language
    b.putInt(0); // initial frames
    b.putInt(scale).putInt((int) rate);
    b.putInt(0); // start
    b.putInt((int) frames); // length
    b.putInt(largestFrame + 8);
    b.putInt(-1); // quality: default
    b.putInt(0); // sample size: varies
    b.putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height);
    fourcc(b, "strf").putInt(40);
    check(b, STRF_DATA);
    b.putInt(40).putInt(width).putInt(height);
    b.putShort((short) 1).putShort((short) 24);
    fourcc(b, "MJPG");
    b.putInt(width * height * 3);
    b.putInt(0).putInt(0).putInt(0).putInt(0);
    check(b, INDX_CHUNK);
    fourcc(b, "indx").putInt(INDX_BYTES);
    b.putShort((short) 4); // longs per entry
    b.put((byte) 0); // sub type
    b.put((byte) 0); // AVI_INDEX_OF_INDEXES
    b.putInt(indexEntries);
    fourcc(b, "00dc");
    b.putInt(0).putInt(0).putInt(0);
    for (int i = 0; i < indexEntries; i++) {
      long[] c = indexChunks.get(i);
      b.putLong(c[0]).putInt((int) c[1]).putInt((int) c[2]);
    }
    b.position(ODML_LIST);
    fourcc(b, "LIST").putInt(MOVI_LIST - ODML_LIST - 8);
    fourcc(b, "odml");
    fourcc(b, "dmlh").putInt(DMLH_BYTES);
    check(b, DMLH_DATA);
    b.putInt((int) frames);
    b.position(MOVI_LIST);
    return b.flip();
  }

  private static ByteBuffer fourcc(ByteBuffer b, String code) {
    for (int i = 0; i < 4; i++) {
      b.put((byte) code.charAt(i));
    }
    return b;
  }

  private static void check(ByteBuffer b, int expected) {
    if (b.position() != expected) {
      throw new IllegalStateException("AVI header layout: at " + b.position() + ", expected " + expected);
    }
  }
}
