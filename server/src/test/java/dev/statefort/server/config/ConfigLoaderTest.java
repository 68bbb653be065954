package dev.statefort.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsPutTheDataOutsideTempAndUseSqliteInTheDataDir() {
        ServerConfig c = ConfigLoader.load(Map.of(), Map.of("XDG_DATA_HOME", "/srv/data"), null);
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/data/statefort"));
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:/srv/data/statefort/statefort.db");
        assertThat(c.blobDir()).isEqualTo(Path.of("/srv/data/statefort/blobs"));
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.maxStateBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(ConfigLoader.defaultDataDir(Map.of()).toString()).doesNotStartWith("/tmp");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = tmp.resolve("statefort.properties");
        Files.writeString(file, "port=7000\nbind=0.0.0.0\nmax-state-size=5MiB\n");
        Map<String, String> env = Map.of("STATEFORT_PORT", "7001", "STATEFORT_DATA_DIR", tmp.toString());
        Map<String, String> flags = new HashMap<>();
        flags.put("max-state-size", "2048");
        ServerConfig c = ConfigLoader.load(flags, env, file);
        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.bind()).isEqualTo("0.0.0.0");
        assertThat(c.maxStateBytes()).isEqualTo(2048);
        assertThat(c.dataDir()).isEqualTo(tmp);
    }

    @Test
    void everyProblemIsReportedNamingTheSettingAndWhereItCameFrom() throws Exception {
        Path file = tmp.resolve("bad.properties");
        Files.writeString(file, "prot=80\nmax-state-size=lots\n");
        Map<String, String> env = Map.of("STATEFORT_PORT", "99999", "STATEFORT_DATABASE_URL", "jdbc:mysql://x/y");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), env, file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'prot'")
                .hasMessageContaining("environment variable STATEFORT_PORT must be a port number")
                .hasMessageContaining("setting 'max-state-size' in " + file)
                .hasMessageContaining("environment variable STATEFORT_DATABASE_URL must be a jdbc:sqlite");
    }

    @Test
    void aMissingConfigFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), tmp.resolve("nope.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void theDatabasePasswordNeverAppearsInToString() {
        ServerConfig c = ConfigLoader.load(
                Map.of(),
                Map.of(
                        "STATEFORT_DATA_DIR", tmp.toString(),
                        "STATEFORT_DATABASE_URL", "jdbc:postgresql://127.0.0.1/statefort",
                        "STATEFORT_DATABASE_PASSWORD", "hunter2"),
                null);
        assertThat(c.databaseKind()).isEqualTo(ServerConfig.DatabaseKind.POSTGRESQL);
        assertThat(c.toString()).doesNotContain("hunter2");
    }

    @Test
    void aDataDirInTempIsWarnedAbout() {
        ServerConfig c = ConfigLoader.load(Map.of("data-dir", tmp.toString()), Map.of(), null);
        assertThat(ConfigLoader.warnings(c)).anySatisfy(w -> assertThat(w).contains("temporary directory"));
    }

    /** Issue 10 and 11 settings: validated at start, each problem naming the setting. */
    @Test
    void theNewSettingsAreParsedAndBadValuesNamed() {
        ServerConfig config = ConfigLoader.load(
                Map.of(
                        "data-dir", "/var/lib/statefort",
                        "public-url", "HTTPS://State.Example.com:443/",
                        "database.write-wait", "500ms",
                        "read-cache-size", "0",
                        "bootstrap-token-expiry", "never"),
                Map.of(),
                null);
        assertThat(config.publicUrl()).isEqualTo("https://state.example.com");
        assertThat(config.databaseWriteWait()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(config.readCacheBytes()).isZero();
        assertThat(config.bootstrapTokenExpiryDays()).isNull();
        assertThat(ConfigLoader.load(Map.of("data-dir", "/var/lib/statefort"), Map.of(), null)
                        .databaseWriteWait())
                .isEqualTo(java.time.Duration.ofSeconds(10));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(
                        Map.of(
                                "data-dir", "/var/lib/statefort",
                                "public-url", "https://state.example.com/sub",
                                "database.write-wait", "soon",
                                "quarantine-max-count", "0",
                                "bootstrap-token-expiry", "forever"),
                        Map.of(),
                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("public-url")
                .hasMessageContaining("database-write-wait")
                .hasMessageContaining("quarantine-max-count")
                .hasMessageContaining("bootstrap-token-expiry");
    }
}
