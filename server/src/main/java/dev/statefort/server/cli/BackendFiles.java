package dev.statefort.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.http.BackendBlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backend file {@code backend-config} and {@code run} write into a Terraform configuration, and
 * the check that the configuration does not already declare a backend (Terraform reads the
 * directory's own {@code *.tf} and {@code *.tf.json} files, not its subdirectories).
 */
final class BackendFiles {
    static final String PLAIN = "statefort_backend.tf";
    static final String OVERRIDE = "statefort_override.tf";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HCL_BACKEND = Pattern.compile("(?:^|[\\s{])(backend\\s+\"([^\"]*)\"|cloud)\\s*\\{");
    private static final Pattern LINE_COMMENT = Pattern.compile("(#|//).*$");

    private BackendFiles() {}

    /** A backend block found in a file of the configuration. */
    record Declared(Path file, int line, String type) {
        String describe() {
            return file + ":" + line + " declares backend \"" + type + "\"";
        }
    }

    /** The file name to write: {@code name} when given (an override name with {@code override}), else the default. */
    static String fileName(String name, boolean json, boolean override) {
        if (name == null) {
            return (override ? OVERRIDE : PLAIN) + (json ? ".json" : "");
        }
        if (name.contains("/") || !(name.endsWith(".tf") || name.endsWith(".tf.json"))) {
            throw new ConfigException("--file must be a file name ending in .tf or .tf.json, not '" + name + "'");
        }
        if (override && !isOverride(name)) {
            throw new ConfigException("with --override the file must be a Terraform override file (override.tf or"
                    + " *_override.tf, or .tf.json), so that it replaces the declared backend; not '" + name + "'");
        }
        return name;
    }

    /** The first words of every file Statefort writes: it replaces only files that carry them. */
    static final String MARKER = "Written by statefort (backend-config or run)";

    /** The file's content for {@code address}: HCL, or JSON (with a {@code "//"} comment) for a {@code .tf.json} name. */
    static String content(String fileName, String address) {
        if (fileName.endsWith(".json")) {
            return BackendBlock.json(address, "terraform").replaceFirst("\\{\n", "{\n  \"//\": \"" + MARKER + "\",\n");
        }
        return "# " + MARKER + "\n" + BackendBlock.hcl(address, "terraform") + "\n";
    }

    /** Whether a file's content is one Statefort wrote. */
    static boolean isOurs(byte[] content) {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8).contains(MARKER);
    }

    /**
     * The first backend (or {@code cloud}) block declared in {@code dir}, ignoring the files Statefort
     * writes: the default names and {@code ours} (null: none other).
     */
    static Optional<Declared> declared(Path dir, String ours) throws IOException {
        java.util.Set<String> ignored =
                new java.util.HashSet<>(List.of(PLAIN, OVERRIDE, PLAIN + ".json", OVERRIDE + ".json"));
        if (ours != null) {
            ignored.add(ours);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
            for (Path f : listing) {
                String n = f.getFileName().toString();
                if (!ignored.contains(n) && Files.isRegularFile(f) && (n.endsWith(".tf") || n.endsWith(".tf.json"))) {
                    files.add(f);
                }
            }
        }
        files.sort(null);
        for (Path f : files) {
            Optional<Declared> found = f.toString().endsWith(".json") ? inJson(f) : inHcl(f);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Declared> inHcl(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean inBlockComment = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (inBlockComment) {
                int end = line.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                line = line.substring(end + 2);
                inBlockComment = false;
            }
            line = line.replaceAll("/\\*.*?\\*/", " ");
            int open = line.indexOf("/*");
            if (open >= 0) {
                line = line.substring(0, open);
                inBlockComment = true;
            }
            Matcher m = HCL_BACKEND.matcher(LINE_COMMENT.matcher(line).replaceFirst(""));
            if (m.find()) {
                return Optional.of(new Declared(file, i + 1, m.group(2) == null ? "cloud" : m.group(2)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Declared> inJson(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new ConfigException(file + " is not valid JSON: " + e.getMessage());
        }
        for (JsonNode terraform : each(root == null ? null : root.get("terraform"))) {
            for (String block : List.of("backend", "cloud")) {
                for (JsonNode backend : each(terraform.get(block))) {
                    String type = block.equals("cloud") || !backend.fieldNames().hasNext()
                            ? block
                            : backend.fieldNames().next();
                    return Optional.of(new Declared(file, lineOf(text, "\"" + block + "\""), type));
                }
            }
        }
        return Optional.empty();
    }

    private static List<JsonNode> each(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<JsonNode> all = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(all::add);
        } else {
            all.add(node);
        }
        return all;
    }

    private static int lineOf(String text, String token) {
        int at = text.indexOf(token);
        if (at < 0) {
            return 1;
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean isOverride(String name) {
        String stem = name.endsWith(".tf.json")
                ? name.substring(0, name.length() - ".tf.json".length())
                : name.substring(0, name.length() - ".tf".length());
        return stem.equals("override") || stem.endsWith("_override");
    }
}
