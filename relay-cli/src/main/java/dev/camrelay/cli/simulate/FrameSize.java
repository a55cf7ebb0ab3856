package dev.camrelay.cli.simulate;

import java.util.Locale;

/**
 * The ESP32 camera driver's frame sizes ({@code framesize_t}), so the simulator answers
 * {@code {"cmd":"framesize","value":"VGA"}} (or the driver's numeric index, {@code 8}) like the firmware.
 */
enum FrameSize {
  F96X96("96X96", 96, 96),
  QQVGA("QQVGA", 160, 120),
  QCIF("QCIF", 176, 144),
  HQVGA("HQVGA", 240, 176),
  F240X240("240X240", 240, 240),
  QVGA("QVGA", 320, 240),
  CIF("CIF", 400, 296),
  HVGA("HVGA", 480, 320),
  VGA("VGA", 640, 480),
  SVGA("SVGA", 800, 600),
  XGA("XGA", 1024, 768),
  HD("HD", 1280, 720),
  SXGA("SXGA", 1280, 1024),
  UXGA("UXGA", 1600, 1200);

  final String label;
  final int width;
  final int height;

  FrameSize(String label, int width, int height) {
    this.label = label;
    this.width = width;
    this.height = height;
  }

  /** A name such as "VGA" (any case) or the driver's index such as "8"; null when unknown. */
  static FrameSize parse(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    for (FrameSize s : values()) {
      if (s.label.equals(v) || s.name().equals(v)) {
        return s;
      }
    }
    try {
      int index = Integer.parseInt(v);
      return index >= 0 && index < values().length ? values()[index] : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The label of the size matching width x height exactly, or "WxH" when the driver has no such size. */
  static String labelOf(int width, int height) {
    for (FrameSize s : values()) {
      if (s.width == width && s.height == height) {
        return s.label;
      }
    }
    return width + "x" + height;
  }
}
