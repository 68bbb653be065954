package dev.statefort.server.cli;

import dev.statefort.core.model.Names;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.http.BackendBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The state a backend file is written for and how: the options {@code backend-config} and {@code run} share. */
final class BackendFileOptions {
    @Option(names = "--project", required = true, paramLabel = "P")
    String project;

    @Option(names = "--state", required = true, paramLabel = "S")
    String state;

    @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR", description = "The configuration (default .).")
    Path dir;

    @Option(names = "--file", paramLabel = "NAME", description = "The file name (default statefort_backend.tf).")
    String file;

    @Option(names = "--json", description = "Write Terraform JSON (.tf.json).")
    boolean json;

    @Option(
            names = "--override",
            description = "Write an override file (statefort_override.tf) that replaces a declared backend.")
    boolean override;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Statefort's URL (default: STATEFORT_URL, else the configuration's public-url).")
    String server;

    /** The state's address under {@code base}, with project and state names checked. */
    String address(String base) {
        Names.require("project", project);
        Names.require("state", state);
        return BackendBlock.stateAddress(base, project, state);
    }

    /** The first backend the configuration declares (the files Statefort writes aside). */
    Optional<BackendFiles.Declared> declared() throws IOException {
        return BackendFiles.declared(dir, file);
    }

    /** A backend file written, and what it held before (null: it did not exist). */
    record WrittenFile(Path path, byte[] previous) {}

    /**
     * Writes the backend file for {@code address}; refuses with the declaring file and line when the
     * configuration already declares a backend and {@code replace} is not set, and refuses to replace
     * a file Statefort did not write.
     */
    WrittenFile write(String address, boolean replace) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + " is not a directory");
        }
        Optional<BackendFiles.Declared> declared = declared();
        if (declared.isPresent() && !replace) {
            throw new ConfigException(declared.get().describe()
                    + "; a second backend block would be an error. Use --override to write an override file that"
                    + " replaces it (or --migrate with statefort run to move its state here)");
        }
        // an override file only where there is a backend to replace
        String name = BackendFiles.fileName(file, json, declared.isPresent() || (replace && file != null));
        Path target = dir.resolve(name);
        byte[] previous = null;
        if (Files.exists(target)) {
            previous = Files.readAllBytes(target);
            if (!BackendFiles.isOurs(previous)) {
                throw new ConfigException(target + " exists and was not written by statefort: choose another --file");
            }
        }
        Path partial = dir.resolve("." + name + ".partial");
        Files.writeString(partial, BackendFiles.content(name, address));
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new WrittenFile(target, previous);
    }

    /** {@code --server}, else {@code STATEFORT_URL}, else the configuration's public (or bound) URL. */
    String serverUrl(ConfigOptions options) {
        String url = server != null ? server : System.getenv("STATEFORT_URL");
        if (url == null || url.isBlank()) {
            ServerConfig config = options.load();
            url = config.displayUrl(config.port());
        }
        url = url.strip();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException("the server URL must start with http:// or https://, not '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
