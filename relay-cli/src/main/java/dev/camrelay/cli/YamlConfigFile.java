package dev.camrelay.cli;

import dev.camrelay.frame.wire.CameraId;
import dev.camrelay.relay.CameraSpec;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The YAML form of the config file ({@code --config camrelay.yaml}): the same keys as the properties file (long option
 * names; a subcommand's options nested under its name or as {@code simulate.fps}), plus {@code cameras:}, the live
 * section that the relay re-reads while it runs and the admin API writes back:
 *
 * <pre>
 * http-port: 3010
 * viewer-token: s3cret
 * cameras:
 *   garage:
 *     pull: http://192.168.1.40:81/stream   # an MJPEG URL the relay pulls
 *   porch:
 *     token: k3y                            # the token camera 'porch' must send
 * </pre>
 *
 * Every error names its line and column. Lists become comma-separated values ({@code camera-token: [a=1, b=2]}).
 * Writing back replaces only the {@code cameras:} section and keeps the rest of the file, comments included.
 */
final class YamlConfigFile {
  static final String CAMERAS = "cameras";
  static final String PULL = "pull";
  static final String TOKEN = "token";
  private static final Set<String> CAMERA_FIELDS = Set.of(PULL, TOKEN);

  /** What a file says: option values by key, and the cameras section by id. */
  record Parsed(Map<String, String> options, Map<String, CameraSpec> cameras) {}

  /** A file that cannot be used; the message starts with "line L, column C: " where the problem is. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  private YamlConfigFile() {}

  static boolean isYaml(java.nio.file.Path path) {
    String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** Parses {@code text}; {@code knownKeys} are the option keys the file may use (others are typos). */
  static Parsed parse(String text, Set<String> knownKeys) throws Invalid {
    Node root = compose(text);
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, CameraSpec> cameras = new LinkedHashMap<>();
    if (root == null) {
      return new Parsed(options, cameras); // an empty file
    }
    MappingNode top = mapping(root, "the file must be a mapping of option names to values (http-port: 3010)");
    for (NodeTuple t : entries(top)) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (key.equals(CAMERAS)) {
        cameras(t.getValueNode(), cameras);
      } else {
        option(key, t.getKeyNode(), t.getValueNode(), knownKeys, options);
      }
    }
    return new Parsed(options, cameras);
  }

  /** {@code text} with its {@code cameras:} section replaced by {@code cameras} (added at the end if missing). */
  static String withCameras(String text, Map<String, CameraSpec> cameras) throws Invalid {
    Yaml yaml = yaml();
    Node root = compose(text);
    Map<String, Object> section = new LinkedHashMap<>();
    cameras.forEach((id, spec) -> {
      Map<String, Object> fields = new LinkedHashMap<>();
      if (spec.pullUrl() != null) {
        fields.put(PULL, spec.pullUrl().toString());
      }
      if (spec.cameraToken() != null) {
        fields.put(TOKEN, spec.cameraToken());
      }
      section.put(id, fields);
    });
    Node sectionNode = yaml.represent(section);
    if (root == null) {
      root = yaml.represent(Map.of());
    }
    MappingNode top = mapping(root, "the file must be a mapping of option names to values (http-port: 3010)");
    List<NodeTuple> tuples = top.getValue();
    boolean replaced = false;
    for (int i = 0; i < tuples.size(); i++) {
      NodeTuple t = tuples.get(i);
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(CAMERAS)) {
        tuples.set(i, new NodeTuple(t.getKeyNode(), sectionNode));
        replaced = true;
      }
    }
    if (!replaced) {
      tuples.add(new NodeTuple(yaml.represent(CAMERAS), sectionNode));
    }
    top.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
    StringWriter out = new StringWriter();
    yaml.serialize(root, out);
    return out.toString();
  }

  private static Node compose(String text) throws Invalid {
    try {
      return yaml().compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      throw new Invalid(at(mark) + problem + (e.getContext() != null ? " (" + e.getContext() + ")" : ""));
    } catch (YAMLException e) {
      throw new Invalid(e.getMessage());
    }
  }

  private static Yaml yaml() {
    LoaderOptions load = new LoaderOptions();
    load.setProcessComments(true);
    load.setAllowDuplicateKeys(false);
    DumperOptions dump = new DumperOptions();
    dump.setProcessComments(true);
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(new SafeConstructor(load), new Representer(dump), dump, load);
  }

  private static void option(String key, Node keyNode, Node value, Set<String> knownKeys, Map<String, String> out)
      throws Invalid {
    if (value instanceof MappingNode nested) {
      for (NodeTuple t : entries(nested)) {
        option(key + "." + ((ScalarNode) t.getKeyNode()).getValue(), t.getKeyNode(), t.getValueNode(), knownKeys, out);
      }
      return;
    }
    if (!knownKeys.contains(key)) {
      throw new Invalid(at(keyNode.getStartMark()) + "unknown key '" + key
          + "' (keys are long option names without dashes, e.g. http-port: 8080; cameras go under 'cameras:')");
    }
    String text;
    if (value instanceof SequenceNode list) {
      List<String> items = new ArrayList<>();
      for (Node item : list.getValue()) {
        items.add(scalar(item, key));
      }
      text = String.join(",", items);
    } else {
      text = scalar(value, key);
    }
    if (out.put(key, text) != null) {
      throw new Invalid(at(keyNode.getStartMark()) + "'" + key + "' is given twice");
    }
  }

  private static void cameras(Node section, Map<String, CameraSpec> out) throws Invalid {
    if (section instanceof ScalarNode s && s.getValue().isEmpty()) {
      return; // "cameras:" with nothing under it
    }
    MappingNode ids = mapping(section, "'cameras' must map camera ids to their settings (garage: {pull: URL})");
    for (NodeTuple t : entries(ids)) {
      String id = ((ScalarNode) t.getKeyNode()).getValue();
      if (!CameraId.isValid(id)) {
        throw new Invalid(at(t.getKeyNode().getStartMark()) + "camera id '" + id + "' is not valid: want "
            + CameraId.RULE);
      }
      out.put(id, camera(id, t.getValueNode()));
    }
  }

  private static CameraSpec camera(String id, Node node) throws Invalid {
    if (node instanceof ScalarNode s && s.getValue().isEmpty()) {
      return new CameraSpec(null, null);
    }
    MappingNode fields = mapping(node, "camera '" + id + "' must be a mapping with 'pull' and/or 'token'");
    URI pull = null;
    String token = null;
    for (NodeTuple t : entries(fields)) {
      String field = ((ScalarNode) t.getKeyNode()).getValue();
      Mark where = t.getValueNode().getStartMark();
      if (!CAMERA_FIELDS.contains(field)) {
        throw new Invalid(at(t.getKeyNode().getStartMark()) + "unknown field '" + field + "' of camera '" + id
            + "'; known fields: pull, token");
      }
      String value = scalar(t.getValueNode(), id + "." + field);
      if (field.equals(TOKEN)) {
        token = value;
        continue;
      }
      try {
        pull = new URI(value);
      } catch (URISyntaxException e) {
        throw new Invalid(at(where) + "camera '" + id + "': pull is not a valid URL: " + e.getReason());
      }
    }
    try {
      return new CameraSpec(pull, token);
    } catch (IllegalArgumentException e) {
      throw new Invalid(at(node.getStartMark()) + "camera '" + id + "': " + e.getMessage());
    }
  }

  /** The mapping's entries, each with a plain scalar key; an error for other keys and for a key given twice. */
  private static List<NodeTuple> entries(MappingNode mapping) throws Invalid {
    Set<String> seen = new HashSet<>();
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        throw new Invalid(at(t.getKeyNode().getStartMark()) + "keys must be plain names");
      }
      if (!seen.add(key.getValue())) {
        throw new Invalid(at(key.getStartMark()) + "'" + key.getValue() + "' is given twice");
      }
    }
    return mapping.getValue();
  }

  private static MappingNode mapping(Node node, String problem) throws Invalid {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw new Invalid(at(node.getStartMark()) + problem);
  }

  private static String scalar(Node node, String key) throws Invalid {
    if (node instanceof ScalarNode s && !s.getValue().isEmpty()) {
      return s.getValue();
    }
    throw new Invalid(at(node.getStartMark()) + "'" + key + "' needs a value");
  }

  private static String at(Mark mark) {
    return mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
  }
}
