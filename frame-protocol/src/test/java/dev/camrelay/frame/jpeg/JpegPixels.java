package dev.camrelay.frame.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/** Decoding JPEGs to pixels and encoding test JPEGs with the JDK's ImageIO, for pixel-identity checks. */
public final class JpegPixels {
  private JpegPixels() {}

  /** The decoded pixels as packed RGB, row by row, preceded by width and height. */
  public static int[] rgb(byte[] jpeg) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
      if (img == null) {
        throw new IllegalArgumentException("ImageIO cannot read these bytes");
      }
      int w = img.getWidth();
      int h = img.getHeight();
      int[] px = new int[2 + w * h];
      px[0] = w;
      px[1] = h;
      img.getRGB(0, 0, w, h, px, 2, w);
      return px;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A test-pattern image encoded by ImageIO: {@code optimizeHuffman} asks for image-specific ("optimal")
   * Huffman tables instead of the standard ones; {@code restartInterval > 0} adds a DRI segment.
   */
  public static byte[] encode(int width, int height, int imageType, boolean optimizeHuffman, int restartInterval) {
    return encode(width, height, imageType, optimizeHuffman, restartInterval, 0.8f, false, false);
  }

  /**
   * As {@link #encode(int, int, int, boolean, int)} with ImageIO's quality 0..1 (the IJG quality / 100); {@code
   * yuv422} samples luminance 2x1 instead of ImageIO's 2x2 (4:2:2 the way RFC 2435 type 0 has it); {@code
   * flat} paints every pixel mid grey instead of the test pattern.
   */
  public static byte[] encode(int width, int height, int imageType, boolean optimizeHuffman, int restartInterval,
      float quality, boolean yuv422, boolean flat) {
    BufferedImage img = new BufferedImage(width, height, imageType);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (x * 255 / Math.max(1, width - 1)) ^ (y & 0x1F);
        int g = (y * 255 / Math.max(1, height - 1));
        int b = ((x / 7 + y / 5) & 1) == 0 ? 40 : 220;
        img.setRGB(x, y, flat ? 0x808080 : (r << 16) | (g << 8) | b);
      }
    }
    try {
      ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
      JPEGImageWriteParam p = new JPEGImageWriteParam(null);
      p.setCompressionMode(JPEGImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      p.setOptimizeHuffmanTables(optimizeHuffman);
      IIOMetadata md = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), p);
      String fmt = "javax_imageio_jpeg_image_1.0";
      Node root = md.getAsTree(fmt);
      if (restartInterval > 0) {
        Node seq = ((org.w3c.dom.Element) root).getElementsByTagName("markerSequence").item(0);
        IIOMetadataNode dri = new IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(restartInterval));
        seq.insertBefore(dri, seq.getFirstChild());
      }
      if (yuv422) {
        ((IIOMetadataNode) ((org.w3c.dom.Element) root).getElementsByTagName("componentSpec").item(0))
            .setAttribute("VsamplingFactor", "1");
      }
      md.setFromTree(fmt, root);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
        w.setOutput(ios);
        w.write(null, new IIOImage(img, null, md), p);
      } finally {
        w.dispose();
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
