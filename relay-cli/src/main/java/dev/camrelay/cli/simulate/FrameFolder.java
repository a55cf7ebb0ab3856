package dev.camrelay.cli.simulate;

import dev.camrelay.frame.jpeg.JpegFormatException;
import dev.camrelay.frame.jpeg.JpegFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The JPEG files of a folder (*.jpg, *.jpeg, sorted by name), validated once and replayed in a loop. */
final class FrameFolder {
  private FrameFolder() {}

  /** Loads every JPEG of {@code dir}; fails naming the folder or the first file that is not a complete JPEG. */
  static List<byte[]> load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("frames folder " + dir + " does not exist or is not a folder");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".jpg") || name.endsWith(".jpeg"));
      }).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("frames folder " + dir + " has no .jpg or .jpeg files");
    }
    List<byte[]> frames = new ArrayList<>(files.size());
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      try {
        JpegFrame.parse(bytes.clone());
      } catch (JpegFormatException e) {
        throw new IOException(file + " is not a complete JPEG: " + e.getMessage(), e);
      }
      frames.add(bytes);
    }
    return List.copyOf(frames);
  }
}
