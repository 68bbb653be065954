package dev.statefort.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.statefort.core.auth.IssuedToken;
import dev.statefort.server.config.ConfigLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 point 10: the first start's secrets appear in the data directory already with mode 0600
 * and whole (an atomic rename of a private temporary file: no create-then-chmod window), and the
 * bootstrap token expires unless told never to.
 */
class FirstStartFilesTest {
    @TempDir
    Path dir;

    private StatefortNode open(Path data, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("data-dir", data.toString());
        return StatefortNode.open(ConfigLoader.load(settings, Map.of(), null));
    }

    @Test
    void theSecretFilesAreNeverWrittenOrChmodedInPlace() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<String> events = new ArrayList<>();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            data.register(
                    watcher,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            try (StatefortNode node = open(data, Map.of())) {
                node.firstStart();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline) {
                WatchKey key = watcher.poll(200, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                for (WatchEvent<?> e : key.pollEvents()) {
                    events.add(e.kind().name() + " " + e.context());
                }
                key.reset();
            }
        }
        for (String file : List.of(StatefortNode.INITIAL_TOKEN_FILE, StatefortNode.INITIAL_PASSWORD_FILE)) {
            assertThat(events).as("events in the data dir").contains("ENTRY_CREATE " + file);
            assertThat(events)
                    .as("never written or chmoded under its own name (only renamed into place)")
                    .doesNotContain("ENTRY_MODIFY " + file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(data.resolve(file))).endsWith("\n").hasSizeGreaterThan(20);
        }
        try (var listing = Files.list(data)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .as("no temporary file left behind")
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void theBootstrapTokenExpiresInThirtyDaysUnlessTurnedOff() {
        Instant before = Instant.now();
        try (StatefortNode node = open(dir.resolve("a"), Map.of())) {
            IssuedToken token = node.firstStart().adminToken().orElseThrow();
            assertThat(token.record().expiresAt())
                    .isBetween(before.plus(Duration.ofDays(30)), Instant.now().plus(Duration.ofDays(30)));
        }
        try (StatefortNode node = open(dir.resolve("b"), Map.of("bootstrap-token-expiry", "never"))) {
            assertThat(node.firstStart().adminToken().orElseThrow().record().expiresAt())
                    .isNull();
        }
        try (StatefortNode node = open(dir.resolve("c"), Map.of("bootstrap-token-expiry", "7d"))) {
            assertThat(node.firstStart().adminToken().orElseThrow().record().expiresAt())
                    .isAfter(before.plus(Duration.ofDays(7)).minusSeconds(1))
                    .isBefore(Instant.now().plus(Duration.ofDays(7)).plusSeconds(1));
        }
    }
}
