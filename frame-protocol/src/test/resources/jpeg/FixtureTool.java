// Helper for make-fixtures.sh (run with `java FixtureTool.java ...`); not part of the build.
//   restart <in.jpg> <out.jpg> <interval>  re-encode with the JDK's JPEG writer and a DRI segment -> RSTn markers
//   comment <in.jpg> <out.jpg>             insert a COM segment holding FF D9 and FF D8 right after SOI
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

public class FixtureTool {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "restart" -> restart(args[1], args[2], Integer.parseInt(args[3]));
      case "comment" -> comment(args[1], args[2]);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void restart(String in, String out, int interval) throws Exception {
    BufferedImage img = ImageIO.read(new File(in));
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = w.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.6f);
    IIOMetadata md = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), p);
    String fmt = "javax_imageio_jpeg_image_1.0";
    Node root = md.getAsTree(fmt);
    Node seq = ((Element) root).getElementsByTagName("markerSequence").item(0);
    Element dri = new javax.imageio.metadata.IIOMetadataNode("dri");
    dri.setAttribute("interval", Integer.toString(interval));
    seq.insertBefore(dri, seq.getFirstChild());
    md.setFromTree(fmt, root);
    new File(out).delete(); // ImageIO would overwrite in place and leave a longer old file's tail
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(new File(out))) {
      w.setOutput(ios);
      w.write(null, new IIOImage(img, null, md), p);
    }
  }

  static void comment(String in, String out) throws Exception {
    byte[] jpeg = Files.readAllBytes(Path.of(in));
    byte[] text = "tricky comment: FF D9 here -> \u00ff\u00d9 <- and FF D8 here -> \u00ff\u00d8 <-"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(jpeg, 0, 2);
    o.write(0xFF);
    o.write(0xFE);
    o.write((text.length + 2) >> 8);
    o.write((text.length + 2) & 0xFF);
    o.write(text);
    o.write(jpeg, 2, jpeg.length - 2);
    Files.write(Path.of(out), o.toByteArray());
  }
}
