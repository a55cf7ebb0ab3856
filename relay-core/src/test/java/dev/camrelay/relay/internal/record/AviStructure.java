package dev.camrelay.relay.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks a finished file's indexes the way a player that trusts them would read them (ffmpeg falls back to scanning
 * when an index is wrong, so decoding alone does not prove them): every {@code idx1} entry and every entry of every
 * {@code ix00} the super index points at must name a {@code 00dc} chunk of that size, and the counts must agree.
 */
final class AviStructure {
  private AviStructure() {}

  /** Returns the frame count the indexes agree on. */
  static long checkIndexes(Path file) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer h = FrameTimes.readAt(ch, 0, AviWriter.FIRST_CHUNK);
      long total = h.getInt(AviWriter.DMLH_DATA);
      assertThat(h.getInt(AviWriter.STRH_DATA + 32)).as("strh length").isEqualTo((int) total);
      int superEntries = h.getInt(AviWriter.INDX_DATA + 4);
      assertThat(superEntries).as("super index entries").isPositive();
      long viaOdml = 0;
      for (int i = 0; i < superEntries; i++) {
        int at = AviWriter.INDX_DATA + 24 + i * 16;
        long ixOffset = h.getLong(at);
        int frames = h.getInt(at + 12);
        ByteBuffer ix = FrameTimes.readAt(ch, ixOffset, 32 + frames * 8);
        assertThat(fourcc(ix, 0)).isEqualTo("ix00");
        assertThat(ix.getInt(12)).as("ix00 entries").isEqualTo(frames);
        long base = ix.getLong(20);
        for (int k = 0; k < frames; k++) {
          long data = base + Integer.toUnsignedLong(ix.getInt(32 + k * 8));
          assertChunk(ch, data - 8, ix.getInt(36 + k * 8));
        }
        viaOdml += frames;
      }
      assertThat(viaOdml).as("frames via the OpenDML index").isEqualTo(total);
      long riffSize = Integer.toUnsignedLong(h.getInt(4));
      assertThat(8 + riffSize).as("first RIFF within the file").isLessThanOrEqualTo(ch.size());
      ByteBuffer movi = FrameTimes.readAt(ch, AviWriter.MOVI_LIST, 8);
      long idx1 = AviWriter.MOVI_LIST + 8 + Integer.toUnsignedLong(movi.getInt(4));
      ByteBuffer idxHead = FrameTimes.readAt(ch, idx1, 8);
      assertThat(fourcc(idxHead, 0)).isEqualTo("idx1");
      int legacy = idxHead.getInt(4) / 16;
      assertThat(legacy).as("avih frames: the first RIFF's").isEqualTo(h.getInt(AviWriter.AVIH_DATA + 16));
      ByteBuffer entries = FrameTimes.readAt(ch, idx1 + 8, legacy * 16);
      for (int k = 0; k < legacy; k++) {
        assertThat(entries.getInt(k * 16 + 4)).as("key frame flag").isEqualTo(0x10);
        assertChunk(ch, AviWriter.MOVI_LIST + 8 + Integer.toUnsignedLong(entries.getInt(k * 16 + 8)),
            entries.getInt(k * 16 + 12));
      }
      assertThat(idx1 + 8 + legacy * 16L).as("idx1 ends the first RIFF").isEqualTo(8 + riffSize);
      return total;
    }
  }

  private static void assertChunk(FileChannel ch, long at, int size) throws Exception {
    ByteBuffer c = FrameTimes.readAt(ch, at, 8);
    assertThat(fourcc(c, 0)).as("chunk at %d", at).isEqualTo("00dc");
    assertThat(c.getInt(4)).as("chunk size at %d", at).isEqualTo(size);
    ByteBuffer soi = FrameTimes.readAt(ch, at + 8, 2);
    assertThat(soi.get(0) & 0xff).as("JPEG SOI").isEqualTo(0xFF);
    assertThat(soi.get(1) & 0xff).isEqualTo(0xD8);
  }

  private static String fourcc(ByteBuffer b, int at) {
    byte[] s = new byte[4];
    b.get(at, s);
    return new String(s, StandardCharsets.US_ASCII);
  }
}
