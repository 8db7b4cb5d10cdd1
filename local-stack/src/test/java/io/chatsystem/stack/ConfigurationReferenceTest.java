package io.chatsystem.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md cannot drift from what the apps and the local run read: every property of the apps'
 * application.yml (every document, every profile), every environment variable those files read
 * ({@code ${NAME:default}}), and every environment variable that bin/run-local (with the scripts it sources) and
 * the local stack read, appears in backticks in the first column of one of its tables.
 */
class ConfigurationReferenceTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path REFERENCE = ROOT.resolve("docs/configuration.md");
    private static final List<Path> APP_CONFIGURATIONS = List.of(
            ROOT.resolve("command-side/src/main/resources/application.yml"),
            ROOT.resolve("query-side/src/main/resources/application.yml"));
    private static final Path RUN_LOCAL = ROOT.resolve("bin/run-local");
    private static final Path LOCAL_STACK_SOURCES = ROOT.resolve("local-stack/src/main/java");

    /** The shell's own variables: read by scripts, but no setting of this system. */
    private static final Set<String> SHELL_VARIABLES = Set.of("PATH", "HOME", "PWD", "OLDPWD", "IFS", "SHELL", "USER",
            "TMPDIR", "BASH_SOURCE", "LINENO", "RANDOM", "SECONDS");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern JAVA_GETENV = Pattern.compile(
            "getenv\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)|getenv\\(\\)\\s*\\.\\s*(?:get|getOrDefault|containsKey)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
    private static final Pattern SHELL_READ = Pattern.compile("\\$\\{#?([A-Z][A-Z0-9_]*)|\\$([A-Z][A-Z0-9_]*)");
    private static final Pattern SHELL_SOURCE = Pattern.compile("(?m)^\\s*(?:source|\\.)\\s+([\\w./-]+)\\s*$");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    @Test
    void everyPropertyAndEnvironmentVariableIsDocumented() {
        Map<String, String> required = new LinkedHashMap<>();
        for (Path file : APP_CONFIGURATIONS) {
            String yaml = read(file);
            String source = ROOT.relativize(file).toString();
            for (String property : YamlKeys.leafPaths(yaml)) {
                required.putIfAbsent(property, "property in " + source);
            }
            for (String variable : placeholders(yaml)) {
                required.putIfAbsent(variable, "environment variable read by " + source);
            }
        }
        for (Path script : scriptAndWhatItSources(RUN_LOCAL)) {
            for (String variable : shellEnvironmentReads(read(script))) {
                required.putIfAbsent(variable, "environment variable read by " + ROOT.relativize(script));
            }
        }
        for (Path source : javaSources(LOCAL_STACK_SOURCES)) {
            for (String variable : javaEnvironmentReads(read(source))) {
                required.putIfAbsent(variable, "environment variable read by " + ROOT.relativize(source));
            }
        }

        Set<String> documented = documentedNames(read(REFERENCE));
        List<String> missing = required.entrySet().stream()
                .filter(entry -> !documented.contains(entry.getKey()))
                .map(entry -> "`" + entry.getKey() + "` (" + entry.getValue() + ")")
                .toList();

        assertThat(missing)
                .withFailMessage("docs/configuration.md has no table row (name in backticks in the first column) for "
                        + "%d of what the apps and the local run read; add one with its default and meaning:%n  %s",
                        missing.size(), String.join(System.lineSeparator() + "  ", missing))
                .isEmpty();
    }

    /** Guards the readers above: a reader that found nothing would let every check pass. */
    @Test
    void readsEveryKindOfEntry() {
        Set<String> command = YamlKeys.leafPaths(read(APP_CONFIGURATIONS.get(0)));
        Set<String> query = YamlKeys.leafPaths(read(APP_CONFIGURATIONS.get(1)));
        assertThat(command).contains("chat.web.store-probe-interval", "chat.command.group-commit-max-events",
                "spring.datasource.hikari.data-source-properties.rewriteBatchedStatements",
                // a list value, in the axonserver profile's document
                "spring.autoconfigure.exclude", "spring.config.activate.on-profile", "axon.axonserver.servers",
                // a key with dots in it is one segment
                "logging.level.org.axonframework.modelling.command.AbstractRepository");
        assertThat(query).contains("management.observations.enable.spring.security",
                "chat.projections.batch-size", "chat.projections.segments-by-projection.search",
                "chat.projections.linger.search", "axon.axonserver.shortcut-queries-to-local-handlers");
        assertThat(query).doesNotContain("chat.projections.segments-by-projection", "chat.projections.linger");
        // an anchor's own keys, and the same keys under every alias of it
        assertThat(YamlKeys.leafPaths("""
                a:
                  first: &shared
                    size: 1
                    mode: x
                  second: *shared
                """)).containsExactlyInAnyOrder("a.first.size", "a.first.mode", "a.second.size", "a.second.mode");
        assertThat(placeholders(read(APP_CONFIGURATIONS.get(1))))
                .contains("DB_URL", "PROJECTION_SEGMENTS", "SEARCH_SEGMENTS", "AXONSERVER_SERVERS")
                .doesNotContain("spring.application.name");
        assertThat(scriptAndWhatItSources(RUN_LOCAL)).contains(ROOT.resolve("bin/jdk.sh"));
        assertThat(shellEnvironmentReads("""
                for candidate in a b; do echo "$candidate"; done
                LOCAL_ONE=1; echo "$LOCAL_ONE ${MY_SETTING:-x} $PATH"
                """)).containsExactly("MY_SETTING");
        assertThat(javaSources(LOCAL_STACK_SOURCES).stream().flatMap(file -> javaEnvironmentReads(read(file)).stream()))
                .contains("AXONSERVER_SERVERS");
        assertThat(documentedNames("""
                | name | default |
                |---|---|
                | `a.b`, `C_D` | `x` |
                text with `e.f` outside a table
                """)).containsExactlyInAnyOrder("a.b", "C_D");
    }

    /** Names in backticks in the first column of the document's table rows. */
    private static Set<String> documentedNames(String markdown) {
        Set<String> names = new TreeSet<>();
        for (String line : markdown.split("\\R")) {
            String row = line.strip();
            if (!row.startsWith("|")) {
                continue;
            }
            String[] cells = row.split("\\|", -1);
            if (cells.length < 3) {
                continue;
            }
            Matcher name = BACKTICKED.matcher(cells[1]);
            while (name.find()) {
                names.add(name.group(1).strip());
            }
        }
        return names;
    }

    /** {@code ${NAME} / ${NAME:default}} placeholders with an upper-case name (environment variables). */
    private static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            names.add(placeholder.group(1));
        }
        return names;
    }

    private static Set<String> javaEnvironmentReads(String source) {
        Set<String> names = new TreeSet<>();
        Matcher read = JAVA_GETENV.matcher(source);
        while (read.find()) {
            names.add(read.group(1) != null ? read.group(1) : read.group(2));
        }
        return names;
    }

    /**
     * Upper-case variables a script reads ({@code $X}, {@code ${X:-default}}) that it does not set itself first
     * (those are its own variables, not the environment's), leaving out the shell's own (PATH and the like).
     */
    static Set<String> shellEnvironmentReads(String script) {
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\\R")) {
            if (!line.strip().startsWith("#")) {
                code.append(line).append('\n');
            }
        }
        String text = code.toString();
        Set<String> names = new TreeSet<>();
        Matcher read = SHELL_READ.matcher(text);
        while (read.find()) {
            String name = read.group(1) != null ? read.group(1) : read.group(2);
            if (SHELL_VARIABLES.contains(name) || names.contains(name)) {
                continue;
            }
            Matcher assignment = Pattern.compile("(?m)(?:^|[\\s;(])(?:export\\s+|local\\s+|readonly\\s+|declare\\s+(?:-\\w+\\s+)?)?"
                    + Pattern.quote(name) + "=|\\bfor\\s+" + Pattern.quote(name) + "\\s+in\\b").matcher(text);
            if (assignment.find() && assignment.start() < read.start()) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    /** The script and the scripts it sources (relative to the repository root, as bin/run-local runs from there). */
    private static List<Path> scriptAndWhatItSources(Path script) {
        List<Path> scripts = new ArrayList<>();
        Deque<Path> pending = new ArrayDeque<>(List.of(script));
        while (!pending.isEmpty()) {
            Path next = pending.pop();
            if (scripts.contains(next) || !Files.isRegularFile(next)) {
                continue;
            }
            scripts.add(next);
            Matcher sourced = SHELL_SOURCE.matcher(read(next));
            while (sourced.find()) {
                pending.add(ROOT.resolve(sourced.group(1)).normalize());
            }
        }
        return scripts;
    }

    private static List<Path> javaSources(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isRegularFile(directory.resolve("bin/run-local"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("no repository root (with bin/run-local) above " + Path.of("").toAbsolutePath());
        }
        return directory;
    }

    /**
     * The leaf property paths of a YAML file, by indentation: block maps and lists as Spring Boot's
     * configuration files write them, every document ({@code ---}), anchors ({@code &name}) and aliases
     * ({@code *name}, also as {@code <<: *name}) resolved to the anchored map's leaves. A key with dots in it is
     * one segment. A list is one leaf (its key). Flow collections and scalars are leaves.
     */
    static final class YamlKeys {

        private record Node(int indent, String path) {
        }

        static Set<String> leafPaths(String yaml) {
            Set<String> leaves = new LinkedHashSet<>();
            for (String document : yaml.split("(?m)^---\\s*$")) {
                leaves.addAll(documentLeaves(document));
            }
            return leaves;
        }

        private static Set<String> documentLeaves(String document) {
            Map<String, Boolean> hasChildren = new LinkedHashMap<>();
            Map<String, String> anchors = new HashMap<>();
            Map<String, String> aliases = new LinkedHashMap<>();
            Deque<Node> open = new ArrayDeque<>();
            int blockScalar = -1;
            for (String raw : document.split("\\R")) {
                int rawIndent = raw.length() - raw.stripLeading().length();
                if (blockScalar >= 0 && (raw.isBlank() || rawIndent > blockScalar)) {
                    // a line of a multi-line value (| or >)
                    continue;
                }
                blockScalar = -1;
                String line = withoutComment(raw);
                if (line.isBlank() || line.strip().startsWith("%")) {
                    continue;
                }
                int indent = line.length() - line.stripLeading().length();
                String content = line.strip();
                while (!open.isEmpty() && open.peek().indent() >= indent) {
                    open.pop();
                }
                String parent = open.isEmpty() ? "" : open.peek().path();
                if (content.equals("-") || content.startsWith("- ")) {
                    // a list item: the list is the value of its key, which stays a leaf
                    continue;
                }
                int colon = keyEnd(content);
                if (colon < 0) {
                    continue;
                }
                String key = unquote(content.substring(0, colon).strip());
                String value = content.substring(colon + 1).strip();
                if (key.equals("<<")) {
                    if (value.startsWith("*")) {
                        aliases.put(parent, value.substring(1).strip());
                        hasChildren.put(parent, true);
                    }
                    continue;
                }
                String path = parent.isEmpty() ? key : parent + "." + key;
                if (!parent.isEmpty()) {
                    hasChildren.put(parent, true);
                }
                hasChildren.putIfAbsent(path, false);
                if (value.startsWith("&")) {
                    String[] anchor = value.substring(1).split("\\s+", 2);
                    anchors.put(anchor[0], path);
                    value = anchor.length > 1 ? anchor[1].strip() : "";
                }
                if (value.startsWith("*")) {
                    aliases.put(path, value.substring(1).strip());
                    hasChildren.put(path, true);
                } else if (value.isEmpty()) {
                    open.push(new Node(indent, path));
                } else if (value.matches("[|>][-+0-9]*")) {
                    blockScalar = indent;
                }
            }
            Set<String> leaves = new LinkedHashSet<>();
            hasChildren.forEach((path, children) -> {
                if (!children) {
                    leaves.add(path);
                }
            });
            aliases.forEach((path, anchor) -> {
                String anchored = anchors.get(anchor);
                if (anchored == null) {
                    throw new IllegalArgumentException("alias *" + anchor + " at " + path + " names no anchor");
                }
                List<String> under = leaves.stream().filter(leaf -> leaf.startsWith(anchored + ".")).toList();
                if (under.isEmpty()) {
                    leaves.add(path);
                }
                for (String leaf : under) {
                    leaves.add(path + leaf.substring(anchored.length()));
                }
            });
            return leaves;
        }

        /** The colon that ends a block mapping's key (followed by a space or the end), outside quotes; -1 if none. */
        private static int keyEnd(String content) {
            char quote = 0;
            for (int i = 0; i < content.length(); i++) {
                char c = content.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (i == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (c == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) {
                    return i;
                }
            }
            return -1;
        }

        /** The line up to a comment ({@code #} at the start or after a space, outside quotes). */
        private static String withoutComment(String line) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        private static String unquote(String key) {
            if (key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'") && key.endsWith("'"))) {
                return key.substring(1, key.length() - 1);
            }
            return key;
        }
    }
}
