package dev.camrelay.cli;

import dev.camrelay.relay.CameraSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Supplies option values that were not given on the command line: first from the environment, then from the
 * {@code --config} file (Java properties, or YAML for a {@code .yaml}/{@code .yml} file: {@link YamlConfigFile}), then
 * the option's own default. So a flag wins over the environment and
 * the environment over the file.
 *
 * <pre>
 *   camrelay --http-port 8080        flag
 *   CAMRELAY_HTTP_PORT=8080          environment: CAMRELAY_ + long name, upper case, '-' → '_'
 *   http-port=8080                   config file: the long name without dashes
 *   CAMRELAY_SIMULATE_FPS=5          a subcommand's option: its name in the middle …
 *   simulate.fps=5                   … and as a prefix in the file
 * </pre>
 *
 * The file is named by {@code --config} or {@code CAMRELAY_CONFIG}; an unknown key in it is an error (a typo must
 * not silently fall back to a default). Picocli asks for defaults after parsing, so {@code --config} is known by then.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  static final String CONFIG_OPTION = "--config";

  private final Map<String, String> env;
  private Path loadedPath;
  private Properties loaded;
  private Map<String, CameraSpec> loadedCameras = Map.of();

  EnvironmentDefaults(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    List<String> keys = keys(option);
    for (String key : keys) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        return fromEnv;
      }
    }
    if (keys.contains("config")) {
      return null;
    }
    Properties file = file(option.command().root());
    if (file == null) {
      return null;
    }
    for (String key : keys) {
      String fromFile = file.getProperty(key);
      if (fromFile != null) {
        return fromFile;
      }
    }
    return null;
  }

  /**
   * The option's keys, one for each long name, longest first (an option such as {@code --relay}/{@code --tcp} answers
   * to both): "http-port" on the main command, "simulate.fps" on a subcommand.
   */
  static List<String> keys(OptionSpec option) {
    CommandSpec command = option.command();
    StringBuilder prefix = new StringBuilder();
    if (!option.inherited()) {
      for (CommandSpec c = command; c.parent() != null; c = c.parent()) {
        prefix.insert(0, c.name() + ".");
      }
    }
    List<String> names = Arrays.stream(option.names()).filter(n -> n.startsWith("--"))
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    if (names.isEmpty()) {
      names = List.of(option.longestName());
    }
    return names.stream().map(n -> prefix + n.replaceFirst("^-+", "")).toList();
  }

  /** "simulate.fps" → "CAMRELAY_SIMULATE_FPS". */
  static String envName(String key) {
    return "CAMRELAY_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  private synchronized Properties file(CommandSpec root) {
    Path path = null;
    OptionSpec configOption = root.findOption(CONFIG_OPTION);
    if (configOption != null && configOption.getValue() != null) {
      path = (Path) configOption.getValue();
    } else if (env.get(envName("config")) != null) {
      path = Path.of(env.get(envName("config")));
    }
    if (path == null) {
      return null;
    }
    if (!path.equals(loadedPath)) {
      loaded = YamlConfigFile.isYaml(path) ? loadYaml(path, root) : load(path, root);
      loadedPath = path;
    }
    return loaded;
  }

  /** The {@code cameras:} section of a YAML config file read for defaults; empty for none or a properties file. */
  synchronized Map<String, CameraSpec> fileCameras(CommandSpec root) {
    file(root);
    return loadedCameras;
  }

  private Properties loadYaml(Path path, CommandSpec root) {
    YamlConfigFile.Parsed parsed;
    try {
      parsed = YamlConfigFile.parse(Files.readString(path, StandardCharsets.UTF_8), knownKeys(root));
    } catch (NoSuchFileException e) {
      throw new ParameterException(root.commandLine(), "config file " + path + " does not exist");
    } catch (IOException e) {
      throw new ParameterException(root.commandLine(), "cannot read config file " + path + ": " + e.getMessage());
    } catch (YamlConfigFile.Invalid e) {
      throw new ParameterException(root.commandLine(), "config file " + path + ": " + e.getMessage());
    }
    Properties p = new Properties();
    p.putAll(parsed.options());
    loadedCameras = parsed.cameras();
    return p;
  }

  /** Every key a config file may set: the long option names of the command and its subcommands. */
  static Set<String> knownKeys(CommandSpec root) {
    Set<String> known = new HashSet<>();
    collectKeys(root, known);
    return known;
  }

  private static Properties load(Path path, CommandSpec root) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      throw new ParameterException(root.commandLine(), "config file " + path + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(root.commandLine(), "cannot read config file " + path + ": " + e.getMessage());
    }
    Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
    unknown.removeAll(knownKeys(root));
    if (!unknown.isEmpty()) {
      throw new ParameterException(root.commandLine(), "config file " + path + ": unknown key"
          + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (keys are long option names without dashes, e.g. http-port=8080)");
    }
    return p;
  }

  static void collectKeys(CommandSpec command, Set<String> keys) {
    for (OptionSpec o : command.options()) {
      if (!o.usageHelp() && !o.versionHelp() && !o.longestName().equals(CONFIG_OPTION)) {
        keys.addAll(keys(o));
      }
    }
    for (CommandLine sub : command.subcommands().values()) {
      collectKeys(sub.getCommandSpec(), keys);
    }
  }
}
