package dev.camrelay.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picture size {@code WxH}, e.g. {@code 800x600}, 16..4096 each way.
 *
 * @param width pixels
 * @param height pixels
 */
public record Size(int width, int height) {
  @Override
  public String toString() {
    return width + "x" + height;
  }

  /** Picocli converter for {@link Size}. */
  public static final class Converter implements ITypeConverter<Size> {
    @Override
    public Size convert(String value) {
      String[] parts = value.trim().toLowerCase(java.util.Locale.ROOT).split("x");
      try {
        if (parts.length == 2) {
          int w = Integer.parseInt(parts[0].trim());
          int h = Integer.parseInt(parts[1].trim());
          if (w >= 16 && h >= 16 && w <= 4096 && h <= 4096) {
            return new Size(w, h);
          }
          throw new TypeConversionException("'" + value + "': width and height must be 16..4096");
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new TypeConversionException("'" + value + "' is not a size WxH (e.g. 800x600)");
    }
  }
}
