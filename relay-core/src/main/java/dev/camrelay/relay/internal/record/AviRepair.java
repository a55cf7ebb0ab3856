package dev.camrelay.relay.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a segment that a crash, a kill or a full disk left unfinished whole again, so that it decodes cleanly: keeps
 * the frames that are complete in the AVI and have a complete record in the sidecar (the longest such prefix),
 * truncates what follows (a torn last chunk, a half-written index), then writes the indexes and the header as
 * {@link AviWriter#close()} would. Finished files are left alone; so are files that are not camrelay segments.
 *
 * <p>A segment with no complete frame left is deleted, with its sidecar. Cost: reads the sidecar and one chunk
 * header per frame, then writes the indexes; the frames themselves are neither read nor moved.
 */
final class AviRepair {
  /** What {@link #repair} did. */
  enum Outcome {
    /** Already finished: nothing to do. */
    FINISHED,
    /** Was unfinished; now finished with {@link #framesKept} frames. */
    REPAIRED,
    /** Had no complete frame: deleted with its sidecar. */
    DELETED,
    /** Not a camrelay segment (no sidecar, or not our header layout): left as it is. */
    FOREIGN
  }

  record Result(Outcome outcome, long framesKept, long framesDropped) {}

  private AviRepair() {}

  static Result repair(Path avi, FileOpener files) throws IOException {
    Path timesFile = FrameTimes.sidecarOf(avi);
    if (!Files.exists(timesFile)) {
      return new Result(Outcome.FOREIGN, 0, 0);
    }
    long kept;
    long dropped;
    try (FileChannel a = files.open(avi, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel t = files.open(timesFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long len = a.size();
      if (len < AviWriter.FIRST_CHUNK) {
        kept = 0;
        dropped = 0;
      } else {
        ByteBuffer h = FrameTimes.readAt(a, 0, AviWriter.FIRST_CHUNK);
        if (!fourcc(h, 0, "RIFF") || !fourcc(h, 8, "AVI ") || !fourcc(h, AviWriter.INDX_CHUNK, "indx")
            || !fourcc(h, AviWriter.MOVI_LIST, "LIST") || !fourcc(h, AviWriter.MOVI_LIST + 8, "movi")) {
          return new Result(Outcome.FOREIGN, 0, 0);
        }
        if (h.getInt(AviWriter.INDX_DATA + 4) > 0) {
          return new Result(Outcome.FINISHED, FrameTimes.count(t), 0);
        }
        List<FrameTimes.Entry> frames = completeFrames(a, t, len);
        long recorded = FrameTimes.count(t);
        kept = frames.size();
        dropped = Math.max(0, recorded - kept);
        if (kept > 0) {
          finish(a, t, h, frames);
        }
      }
    }
    if (kept == 0) {
      Files.deleteIfExists(avi);
      Files.deleteIfExists(timesFile);
      return new Result(Outcome.DELETED, 0, dropped);
    }
    return new Result(Outcome.REPAIRED, kept, dropped);
  }

  /** The sidecar's records, in order, up to the first that does not point at a complete frame chunk. */
  private static List<FrameTimes.Entry> completeFrames(FileChannel a, FileChannel t, long len) throws IOException {
    long count = FrameTimes.count(t);
    List<FrameTimes.Entry> out = new ArrayList<>();
    long minOffset = AviWriter.FIRST_CHUNK + 8;
    for (long i = 0; i < count; i += 4096) {
      for (FrameTimes.Entry e : FrameTimes.read(t, i, (int) Math.min(4096, count - i))) {
        if (e.offset() < minOffset || e.size() <= 0 || e.offset() + e.size() > len) {
          return out;
        }
        ByteBuffer ck = FrameTimes.readAt(a, e.offset() - 8, 8);
        if (!fourcc(ck, 0, "00dc") || ck.getInt(4) != e.size()) {
          return out;
        }
        out.add(e);
        minOffset = e.offset() + e.size() + 8;
      }
    }
    return out;
  }

  /**
   * Finds the RIFFs, keeps the complete ones before the last RIFF holding a kept frame, truncates the file after that
   * frame and finishes it.
   */
  private static void finish(FileChannel a, FileChannel t, ByteBuffer header, List<FrameTimes.Entry> frames)
      throws IOException {
    List<long[]> riffs = riffStarts(a); // {start, size or -1 when open}
    // The RIFF of each frame; the last RIFF with a frame becomes the open one.
    int openRiff = riffOf(riffs, frames.get(frames.size() - 1).offset());
    List<long[]> done = new ArrayList<>();
    long firstRiffFrames = -1;
    long firstRiffBytes = 0;
    int frameIndex = 0;
    for (int r = 0; r < openRiff; r++) {
      int inRiff = 0;
      while (frameIndex < frames.size() && riffOf(riffs, frames.get(frameIndex).offset()) == r) {
        frameIndex++;
        inRiff++;
      }
      FrameTimes.Entry last = frames.get(frameIndex - 1);
      long ix = chunkEnd(last);
      ByteBuffer ixHead = FrameTimes.readAt(a, ix, 16);
      if (!fourcc(ixHead, 0, "ix00") || ixHead.getInt(12) != inRiff) {
        throw new IOException("RIFF " + r + " has no index chunk after its last frame at " + last.offset());
      }
      done.add(new long[] {ix, 8L + ixHead.getInt(4), inRiff});
      if (r == 0) {
        firstRiffFrames = inRiff;
        firstRiffBytes = riffs.get(0)[1];
      }
    }
    List<FrameTimes.Entry> open = frames.subList(frameIndex, frames.size());
    long[] offsets = new long[open.size()];
    int[] sizes = new int[open.size()];
    long lastMicros = Long.MIN_VALUE;
    for (int i = 0; i < open.size(); i++) {
      offsets[i] = open.get(i).offset();
      sizes[i] = open.get(i).size();
    }
    for (FrameTimes.Entry e : frames) {
      lastMicros = Math.max(lastMicros, e.receivedMicros());
    }
    a.truncate(chunkEnd(frames.get(frames.size() - 1)));
    t.truncate(FrameTimes.HEADER_BYTES + (long) frames.size() * FrameTimes.RECORD_BYTES);
    t.force(false);
    int width = header.getInt(AviWriter.STRF_DATA + 4);
    int height = header.getInt(AviWriter.STRF_DATA + 8);
    AviWriter.resume(a, width, height, done, firstRiffFrames, firstRiffBytes, riffs.get(openRiff)[0], offsets, sizes,
        frames.get(0).receivedMicros(), lastMicros).close();
  }

  /** Where each RIFF starts, with its size when it was closed ({@code -1} for one left open), until one is open. */
  private static List<long[]> riffStarts(FileChannel a) throws IOException {
    List<long[]> riffs = new ArrayList<>();
    long len = a.size();
    long pos = 0;
    while (pos + 24 <= len) {
      ByteBuffer b = FrameTimes.readAt(a, pos, 12);
      if (!fourcc(b, 0, "RIFF") || !fourcc(b, 8, pos == 0 ? "AVI " : "AVIX")) {
        break;
      }
      long size = Integer.toUnsignedLong(b.getInt(4));
      boolean closed = size != 0 && pos + 8 + size <= len;
      riffs.add(new long[] {pos, closed ? size : -1});
      if (!closed) {
        break;
      }
      pos += 8 + size + (size & 1);
    }
    return riffs;
  }

  private static int riffOf(List<long[]> riffs, long offset) {
    int r = 0;
    while (r + 1 < riffs.size() && riffs.get(r + 1)[0] < offset) {
      r++;
    }
    return r;
  }

  private static long chunkEnd(FrameTimes.Entry e) {
    return e.offset() + e.size() + (e.size() & 1);
  }

  private static boolean fourcc(ByteBuffer b, int at, String code) {
    for (int i = 0; i < 4; i++) {
      if (b.get(at + i) != (byte) code.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
