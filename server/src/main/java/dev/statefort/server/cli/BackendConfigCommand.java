package dev.statefort.server.cli;

import dev.statefort.core.state.Names;
import dev.statefort.server.config.ConfigException;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.http.BackendBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statefort backend-config}: writes the {@code backend "http"} block of one state into a configuration. */
@Command(
        name = "backend-config",
        description = "Write the backend \"http\" block of one state into a Terraform configuration (no secret:"
                + " the password comes from TF_HTTP_PASSWORD). Stops when the configuration already declares a"
                + " backend, unless --override.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
final class BackendConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

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

    @Override
    public Integer call() throws IOException {
        Names.require("project", project);
        Names.require("state", state);
        String base = serverUrl(server, options);
        Path written = write(dir, file, json, override, BackendBlock.stateAddress(base, project, state));
        System.out.println("wrote " + written + " (backend \"http\" for " + project + "/" + state + " at " + base
                + "); give the password in TF_HTTP_PASSWORD");
        return 0;
    }

    /**
     * Writes the backend file for {@code address} into {@code dir}; refuses with the declaring file and
     * line when the configuration already declares a backend and {@code override} is not set.
     */
    static Path write(Path dir, String file, boolean json, boolean override, String address) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + " is not a directory");
        }
        Optional<BackendFiles.Declared> declared = BackendFiles.declared(dir, file);
        if (declared.isPresent() && !override) {
            throw new ConfigException(declared.get().describe()
                    + "; a second backend block would be an error. Use --override to write an override file that"
                    + " replaces it (or --migrate with statefort run to move its state here)");
        }
        // an override file only where there is a backend to replace
        String name = BackendFiles.fileName(file, json, declared.isPresent() || (override && file != null));
        Path target = dir.resolve(name);
        Path partial = dir.resolve("." + name + ".partial");
        Files.writeString(partial, BackendFiles.content(name, address));
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** {@code --server}, else {@code STATEFORT_URL}, else the configuration's public (or bound) URL. */
    static String serverUrl(String flag, ConfigOptions options) {
        String url = flag != null ? flag : System.getenv("STATEFORT_URL");
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
