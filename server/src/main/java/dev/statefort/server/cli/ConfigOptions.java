package dev.statefort.server.cli;

import dev.statefort.server.config.ConfigLoader;
import dev.statefort.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where the configuration and the data live. */
final class ConfigOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Properties file with settings (also STATEFORT_CONFIG).")
    Path configFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory (default: $XDG_DATA_HOME/statefort or ~/.local/share/statefort).")
    String dataDir;

    @Option(
            names = "--database-url",
            paramLabel = "JDBC_URL",
            description = "jdbc:sqlite:<file> (default: <data-dir>/statefort.db) or jdbc:postgresql://host/db."
                    + " The password comes from STATEFORT_DATABASE_PASSWORD or the config file.")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", description = "Database user (PostgreSQL).")
    String databaseUser;

    @Option(
            names = "--master-key-file",
            paramLabel = "FILE",
            description = "Master key file (default: <data-dir>.master.key, generated on first start). "
                    + "Or give the key in STATEFORT_MASTER_KEY.")
    String masterKeyFile;

    /** Loads the configuration with these options (plus {@code extra} flags) on top of file and env. */
    ServerConfig load(Map<String, String> extra) {
        Map<String, String> flags = new HashMap<>(extra);
        flags.put("data-dir", dataDir);
        flags.put("database.url", databaseUrl);
        flags.put("database.user", databaseUser);
        flags.put("master-key-file", masterKeyFile);
        return ConfigLoader.load(flags, System.getenv(), configFile);
    }

    ServerConfig load() {
        return load(Map.of());
    }
}
