package dev.statefort.core.transfer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.testing.StateBodies;
import dev.statefort.core.testing.TestPrincipals;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 15 point 2: what an import does with each version, whatever the source. */
class StateImportTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);

    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final StateService states = StateService.withDefaults(metadata, new InMemoryBlobStore(), 4096, CLOCK);
    private final AuditService audit = new AuditService(metadata, CLOCK);
    private final dev.statefort.core.workspace.Workspaces workspaces = new dev.statefort.core.workspace.Workspaces(
            metadata, new dev.statefort.core.policy.SettingsService(metadata, CLOCK), audit, CLOCK);
    private final StateImport importer = new StateImport(states, audit, workspaces);
    private final List<String> lines = new ArrayList<>();

    StateImportTest() {
        metadata.createProject("p", "local", CLOCK.instant());
    }

    @Test
    void versionsAreWrittenOldestFirstWithTheirCreationTimeAndAuditedAsImport() throws IOException {
        Instant first = Instant.parse("2024-01-01T10:00:00Z");
        ImportReport report = run(source(SourceState.of(
                "net", "src:net", List.of(version("v1", first, state("l", 1)), version("v2", null, state("l", 2))))));

        assertThat(report).isEqualTo(new ImportReport(2, 0, 0, false));
        List<VersionRecord> versions = versions("net");
        assertThat(versions).extracting(VersionRecord::serial).containsExactly(1L, 2L);
        assertThat(versions.get(0).createdAt()).isEqualTo(first);
        assertThat(versions.get(1).createdAt()).as("unknown: the import's time").isEqualTo(CLOCK.instant());
        List<AuditEvent> imports = audit.list(new AuditQuery("p", "net", null, "state.import", null, null, 10, null));
        assertThat(imports).hasSize(2);
        assertThat(imports)
                .anySatisfy(e -> assertThat(e.detail()).contains("src:v1").contains(first.toString()));
    }

    @Test
    void aVersionWithTheSameLineageSerialAndBytesIsSkippedButChangedBytesAreNot() throws IOException {
        run(source(SourceState.of("net", "src", List.of(version("a", null, state("l", 1))))));
        ImportReport again = run(source(SourceState.of(
                "net", "src", List.of(version("a", null, state("l", 1)), version("b", null, state("l", 1) + " ")))));
        assertThat(again).isEqualTo(new ImportReport(1, 1, 0, false));
        assertThat(versions("net")).hasSize(2);
    }

    @Test
    void aLockedStateFailsAloneAndItsLaterVersionsAreNotImported() throws IOException {
        LockResult locked = new LockService(metadata, new SettingsService(metadata, CLOCK), audit, CLOCK)
                .lock(
                        TestPrincipals.admin("someone"),
                        new StateKey("p", "locked"),
                        "{\"ID\":\"held\",\"Operation\":\"OperationTypeApply\"}".getBytes(UTF_8));
        assertThat(locked).isInstanceOf(LockResult.Acquired.class);

        ImportReport report = run(source(
                SourceState.of(
                        "locked",
                        "src:locked",
                        List.of(version("l1", null, state("x", 1)), version("l2", null, state("x", 2)))),
                SourceState.of("free", "src:free", List.of(version("f1", null, state("y", 1))))));

        assertThat(report).isEqualTo(new ImportReport(1, 0, 1, false));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("locked by").contains("held"));
        assertThat(versions("free")).hasSize(1);
        assertThat(states.state(TestPrincipals.admin("test"), new StateKey("p", "locked"))
                        .orElseThrow()
                        .head())
                .isNull();
    }

    @Test
    void anUnreadableVersionAnInvalidNameAndADuplicateNameEachFailWithoutStoppingTheRest() throws IOException {
        ImportReport report = run(source(
                SourceState.of(
                        "broken",
                        "src:broken",
                        List.of(
                                new SourceVersion("gone", null, () -> {
                                    throw new IOException("connection reset");
                                }),
                                version("after", null, state("b", 2)))),
                SourceState.of("-bad name", "src:bad", List.of(version("x", null, state("c", 1)))),
                SourceState.of("dup", "src:first", List.of(version("d1", null, state("d", 1)))),
                SourceState.of("dup", "src:second", List.of(version("d2", null, state("e", 1)))),
                SourceState.of(
                        "big", "src:big", List.of(version("huge", null, "{\"x\":\"" + "a".repeat(5000) + "\"}")))));

        assertThat(report).isEqualTo(new ImportReport(1, 0, 4, false));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains("connection reset").contains("later versions are not imported"))
                .anySatisfy(l -> assertThat(l).contains("not a valid state name"))
                .anySatisfy(l -> assertThat(l).contains("already taken by src:first"));
        assertThat(versions("dup")).hasSize(1);
        assertThat(states.state(TestPrincipals.admin("test"), new StateKey("p", "broken")))
                .isEmpty();
    }

    @Test
    void theDestructiveWriteGuardDoesNotJudgeImportedHistoryAndADryRunWritesNothing() throws IOException {
        new SettingsService(metadata, CLOCK).patchProject("p", "{\"guard\":\"enforce\"}");
        SourceState history = SourceState.of(
                "g",
                "src",
                List.of(
                        version("big", null, StateBodies.withResources("l", 1, 3)),
                        version("gone", null, StateBodies.withResources("l", 2, 0))));

        assertThat(run(source(history), true)).isEqualTo(new ImportReport(2, 0, 0, true));
        assertThat(states.state(TestPrincipals.admin("test"), new StateKey("p", "g")))
                .isEmpty();

        assertThat(run(source(history))).isEqualTo(new ImportReport(2, 0, 0, false));
        assertThat(versions("g")).extracting(VersionRecord::resourceCount).containsExactly(3, 0);
    }

    @Test
    void aMissingProjectStopsBeforeTheSourceIsRead() {
        StateSource neverRead = new StateSource() {
            @Override
            public String describe() {
                return "never";
            }

            @Override
            public List<SourceState> states() {
                throw new AssertionError("the source was read");
            }
        };
        assertThatThrownBy(() -> importer.run(TestPrincipals.admin("cli:test"), "nope", neverRead, false, lines::add))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    private ImportReport run(StateSource source) throws IOException {
        return run(source, false);
    }

    private ImportReport run(StateSource source, boolean dryRun) throws IOException {
        return importer.run(TestPrincipals.admin("cli:test"), "p", source, dryRun, lines::add);
    }

    private List<VersionRecord> versions(String state) {
        return states.versions(TestPrincipals.admin("test"), new StateKey("p", state), PageRequest.first(100))
                .items()
                .reversed();
    }

    private static StateSource source(SourceState... found) {
        return new StateSource() {
            @Override
            public String describe() {
                return "test source";
            }

            @Override
            public List<SourceState> states() {
                return List.of(found);
            }
        };
    }

    private static SourceVersion version(String origin, Instant createdAt, String body) {
        return new SourceVersion("src:" + origin, createdAt, () -> new ByteArrayInputStream(body.getBytes(UTF_8)));
    }

    private static String state(String lineage, long serial) {
        return StateBodies.withResources(lineage, serial, 0);
    }
}
