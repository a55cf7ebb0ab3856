package dev.camrelay.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the viewer's resources as they land on the classpath: everything the page
 * references is in the folder, nothing comes from the internet, and the whole stays small.
 * (The page's behaviour is tested in a real browser by relay-cli's ViewerBrowserTest.)
 */
class ViewerResourcesTest {
  private static final String FOLDER = "camrelay-viewer/";
  /** Local references: src/href attributes, ES module imports, CSS url(). */
  private static final Pattern HTML_REFERENCE = Pattern.compile("\\s(?:src|href)=\"([^\"#][^\"]*)\"");
  private static final Pattern JS_IMPORT = Pattern.compile("(?m)^\\s*import\\s[^;]*?from\\s+'([^']+)'|import\\('([^']+)'\\)");
  private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?([^'\")]+)");
  private static final Pattern EXTERNAL = Pattern.compile("(?i)(?:https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[/\"' )]");
  /** An XML namespace is a name, never fetched. */
  private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";
  private static final long MAX_TOTAL_BYTES = 96 * 1024;

  private static Path folder;
  private static final TreeMap<String, String> files = new TreeMap<>();

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    URL url = ViewerResourcesTest.class.getClassLoader().getResource(FOLDER + "index.html");
    assertThat(url).as("index.html on the classpath under " + FOLDER).isNotNull();
    folder = Paths.get(url.toURI()).getParent();
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(folder.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void everyLocalReferenceResolvesToAFileInTheFolder() {
    List<String> missing = new ArrayList<>();
    for (var entry : files.entrySet()) {
      for (String reference : references(entry.getKey(), entry.getValue())) {
        if (isExternalOrSpecial(reference)) continue;
        String resolved = resolve(entry.getKey(), reference);
        if (!files.containsKey(resolved)) missing.add(entry.getKey() + " → " + reference);
      }
    }
    assertThat(missing).as("references to files that do not exist").isEmpty();
  }

  @Test
  void nothingIsLoadedFromTheInternet() {
    List<String> external = new ArrayList<>();
    for (var entry : files.entrySet()) {
      for (String reference : references(entry.getKey(), entry.getValue())) {
        if (reference.contains("//") || reference.startsWith("http")) external.add(entry.getKey() + " → " + reference);
      }
      Matcher m = EXTERNAL.matcher(entry.getValue().replace(SVG_NAMESPACE, ""));
      while (m.find()) external.add(entry.getKey() + ": " + m.group());
    }
    assertThat(external).as("external URLs (no CDN, fonts or anything from the internet)").isEmpty();
  }

  @Test
  void everyModuleIsUsedAndReachableFromIndexHtml() {
    Set<String> reached = new HashSet<>();
    List<String> queue = new ArrayList<>(List.of("index.html"));
    while (!queue.isEmpty()) {
      String file = queue.remove(queue.size() - 1);
      if (!reached.add(file) || !files.containsKey(file)) continue;
      for (String reference : references(file, files.get(file))) {
        if (!isExternalOrSpecial(reference)) queue.add(resolve(file, reference));
      }
    }
    Set<String> unused = new TreeSet<>(files.keySet());
    unused.removeAll(reached);
    unused.removeIf(name -> !name.endsWith(".js") && !name.endsWith(".css"));
    assertThat(unused).as("modules or stylesheets nothing loads").isEmpty();
  }

  @Test
  void scriptsAreEsModulesWithoutInlineCode() {
    String html = files.get("index.html");
    Matcher scripts = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertThat(scripts.group(1)).contains("type=\"module\"");
      assertThat(scripts.group(2).trim()).as("inline script").isEmpty();
    }
    assertThat(count).isEqualTo(1);
    assertThat(html).doesNotContainPattern("\\son[a-z]+=\"");
  }

  @Test
  void theWholeViewerStaysSmall() {
    long total = files.values().stream().mapToLong(text -> text.getBytes(StandardCharsets.UTF_8).length).sum();
    assertThat(total).as("total bytes of the viewer").isLessThan(MAX_TOTAL_BYTES);
  }

  @Test
  void formControlsHaveLabels() {
    String html = files.get("index.html");
    Matcher controls = Pattern.compile("<(input|select|textarea)\\b([^>]*)>").matcher(html);
    List<String> unlabelled = new ArrayList<>();
    while (controls.find()) {
      String attributes = controls.group(2);
      if (attributes.contains("aria-hidden=\"true\"")) continue;
      Matcher id = Pattern.compile("\\sid=\"([^\"]+)\"").matcher(attributes);
      boolean labelled = attributes.contains("aria-label")
          || (id.find() && html.contains("for=\"" + id.group(1) + "\""))
          || html.lastIndexOf("<label", controls.start()) > html.lastIndexOf("</label>", controls.start());
      if (!labelled) unlabelled.add(controls.group());
    }
    assertThat(unlabelled).isEmpty();
  }

  private static List<String> references(String name, String text) {
    List<String> found = new ArrayList<>();
    Matcher m;
    if (name.endsWith(".html")) {
      m = HTML_REFERENCE.matcher(text);
      while (m.find()) found.add(m.group(1));
    } else if (name.endsWith(".js")) {
      m = JS_IMPORT.matcher(text);
      while (m.find()) found.add(m.group(1) != null ? m.group(1) : m.group(2));
    } else if (name.endsWith(".css")) {
      m = CSS_URL.matcher(text);
      while (m.find()) found.add(m.group(1).trim());
    }
    return found;
  }

  private static boolean isExternalOrSpecial(String reference) {
    return reference.startsWith("data:") || reference.contains("//") || reference.startsWith("http");
  }

  private static String resolve(String from, String reference) {
    Path base = Paths.get(from).getParent();
    Path target = (base == null ? Paths.get(reference) : base.resolve(reference)).normalize();
    return target.toString().replace('\\', '/').replaceFirst("^\\./", "");
  }
}
