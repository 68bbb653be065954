package dev.statefort.server.cli;

import dev.statefort.core.identity.JwtVerifier;
import dev.statefort.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statefort run}: runs a Terraform command against one state with a credential made for that
 * run alone, and leaves nothing behind (docs/operations.md, "Running a pipeline with statefort run").
 */
@Command(
        name = "run",
        description = "Run a command (e.g. terraform apply) against one state: with an API token (STATEFORT_TOKEN:"
                + " a write token is enough) create a write token for that state alone expiring after"
                + " --max-duration; with a CI job's OIDC ID token (STATEFORT_OIDC_TOKEN or --oidc-token-file)"
                + " hand that token on; write the backend file, terraform init when needed, run the command with"
                + " TF_HTTP_USERNAME/TF_HTTP_PASSWORD in its environment only, then remove the file and revoke the"
                + " token it made. Exits with the command's code.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    BackendFileOptions target;

    @Option(
            names = "--migrate",
            description = "Move the state of the backend the directory used (or declares) into Statefort:"
                    + " terraform init -migrate-state.")
    boolean migrate;

    @Option(
            names = "--migrate-back",
            description = "Move the state from Statefort back into the backend the configuration declares"
                    + " (no backend file is written): terraform init -migrate-state.")
    boolean migrateBack;

    @Option(names = "--no-init", description = "Never run terraform init first.")
    boolean noInit;

    @Option(
            names = "--oidc-token-file",
            paramLabel = "FILE",
            description = "Read the CI job's OIDC ID token from FILE (a Kubernetes projected token, say) and hand it"
                    + " to the command (an apply outlives it under its lock); no token is made.")
    Path oidcTokenFile;

    @Option(
            names = "--max-duration",
            defaultValue = "2h",
            paramLabel = "DURATION",
            description = "How long the run's token lives, e.g. 90m or 2h (default 2h).")
    String maxDuration;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command, after --.")
    List<String> command;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (migrate && migrateBack) {
            throw new ConfigException("--migrate and --migrate-back go in opposite directions: give one");
        }
        Duration lifetime = duration(maxDuration);
        Credential credential = credential();
        String base = target.serverUrl(options);
        String address = target.address(base);
        Path configDir = target.dir.toAbsolutePath().normalize();
        if (!migrateBack) {
            Optional<BackendFiles.Declared> declared = target.declared();
            if (declared.isPresent() && !target.override && !migrate) {
                throw new ConfigException(declared.get().describe()
                        + "; use --override to replace it for this run, or --migrate to move its state here");
            }
        }
        // from here on a signal is handled: whatever is made below is undone
        ChildProcess child = new ChildProcess(configDir);
        String password;
        RunCleanup cleanup;
        if (credential.jwt()) {
            password = credential.value(); // the job's own identity, checked at every request (and under its lock)
            cleanup = RunCleanup.withoutToken();
        } else {
            TokenClient tokens = new TokenClient(base, credential.value());
            TokenClient.RunToken token;
            try {
                token = tokens.create(target.project, target.state, lifetime);
            } catch (IOException | RuntimeException e) {
                tokens.close();
                throw e;
            }
            password = token.secret();
            cleanup = new RunCleanup(tokens, token.id());
        }
        try {
            if (!migrateBack && !child.interrupted()) {
                cleanup.restoreAfterwards(target.write(address, target.override || migrate));
            }
            Map<String, String> env = Map.of("TF_HTTP_USERNAME", "terraform", "TF_HTTP_PASSWORD", password);
            if (!noInit && needsInit(configDir, address)) {
                int init = child.run(initCommand(), env);
                if (init != 0) {
                    System.err.println("statefort run: terraform init failed (exit " + init + ")"
                            + (migrate || migrateBack ? "" : "; to move an existing state here, add --migrate"));
                    return init;
                }
            }
            return child.run(command, env);
        } finally {
            cleanup.run();
        }
    }

    /** What the run acts with: a CI job's OIDC ID token (handed on as it is) or an API token (which mints the run's). */
    record Credential(String value, boolean jwt) {
        @Override
        public String toString() {
            return jwt ? "Credential[OIDC token]" : "Credential[API token]";
        }
    }

    /**
     * {@code --oidc-token-file} (or {@code STATEFORT_OIDC_TOKEN_FILE}), else {@code STATEFORT_OIDC_TOKEN},
     * else {@code STATEFORT_TOKEN} (a JWT there is taken as one).
     */
    private Credential credential() throws IOException {
        String fileVariable = System.getenv("STATEFORT_OIDC_TOKEN_FILE");
        Path file = oidcTokenFile != null
                ? oidcTokenFile
                : fileVariable == null || fileVariable.isBlank() ? null : Path.of(fileVariable.strip());
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new ConfigException("the OIDC token file " + file + " (--oidc-token-file or"
                        + " STATEFORT_OIDC_TOKEN_FILE) is not a readable file");
            }
            return new Credential(Files.readString(file).strip(), true);
        }
        String oidc = System.getenv("STATEFORT_OIDC_TOKEN");
        if (oidc != null && !oidc.isBlank()) {
            return new Credential(oidc.strip(), true);
        }
        String token = System.getenv("STATEFORT_TOKEN");
        if (token != null && !token.isBlank()) {
            return new Credential(token.strip(), JwtVerifier.looksLikeJwt(token.strip()));
        }
        throw new ConfigException("statefort run needs a credential: the CI job's OIDC ID token (STATEFORT_OIDC_TOKEN"
                + " or --oidc-token-file), or a Statefort API token that may write the state (STATEFORT_TOKEN)");
    }

    private boolean needsInit(Path configDir, String address) throws IOException {
        return migrate || migrateBack || !TerraformDirectory.initialisedFor(configDir, address);
    }

    private List<String> initCommand() {
        List<String> init = new ArrayList<>();
        init.add(terraformBinary());
        init.add("init");
        init.add("-input=false");
        if (migrate || migrateBack) {
            init.add("-migrate-state");
            init.add("-force-copy");
        }
        return init;
    }

    /** The command's own binary when it is terraform or tofu, else {@code terraform}. */
    private String terraformBinary() {
        String first = command.getFirst();
        String base = Path.of(first).getFileName().toString();
        return base.equals("terraform") || base.equals("tofu") ? first : "terraform";
    }

    static Duration duration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d =
                    switch (t.charAt(t.length() - 1)) {
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        case 'd' -> Duration.ofDays(n);
                        default -> null;
                    };
            if (d != null && !d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new ConfigException("--max-duration must be a positive number of minutes, hours or days (90m, 2h,"
                + " 1d), not '" + text + "'");
    }

    /** Whether {@code .terraform/terraform.tfstate} says the directory is initialised for {@code address}. */
    static final class TerraformDirectory {
        private TerraformDirectory() {}

        static boolean initialisedFor(Path dir, String address) throws IOException {
            Path cache = dir.resolve(".terraform").resolve("terraform.tfstate");
            if (!Files.isRegularFile(cache)) {
                return false;
            }
            var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cache.toFile());
            var backend = root.path("backend");
            return backend.path("type").asText("").equals("http")
                    && backend.path("config").path("address").asText("").equals(address);
        }
    }
}
