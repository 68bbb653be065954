package dev.statefort.core.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.audit.AuditService;
import dev.statefort.core.crypto.WebhookSecrets;
import dev.statefort.core.event.EventFeed;
import dev.statefort.core.event.WebhookAdministration;
import dev.statefort.core.event.WebhookTargets;
import dev.statefort.core.history.HistoryService;
import dev.statefort.core.insight.AnalysisLimits;
import dev.statefort.core.insight.AnalysisPool;
import dev.statefort.core.insight.ParsedVersions;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.AuditQuery;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.ProjectNotFoundException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.policy.StatePolicies;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.quarantine.QuarantineService;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.testing.InMemoryBlobStore;
import dev.statefort.core.testing.InMemoryMetadataStore;
import dev.statefort.core.workspace.WorkspaceLocks;
import dev.statefort.core.workspace.WorkspaceStateWrites;
import dev.statefort.core.workspace.Workspaces;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every use case on a state checks the actor's permission itself, first: one level below what it
 * needs is refused (403) and changes nothing, the level it needs passes the check (so a missing
 * project then answers 404), and an outsider gets the same 403 whether or not the project exists.
 * The REST API, the UI, the backend and the CLI call these use cases and check nothing again.
 */
class UseCasePermissionsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private static final StateKey KEY = new StateKey("p", "net");
    private static final StateKey MISSING = new StateKey("nope", "net");
    private static final byte[] STATE =
            "{\"version\":4,\"serial\":1,\"lineage\":\"l\",\"resources\":[],\"outputs\":{}}".getBytes(UTF_8);
    private static final byte[] LOCK = "{\"ID\":\"held\"}".getBytes(UTF_8);
    private static final byte[] PLAN_LOCK = "{\"ID\":\"plan\",\"Operation\":\"OperationTypePlan\"}".getBytes(UTF_8);

    /** One use case called on a state as {@code actor}. */
    @FunctionalInterface
    interface Call {
        void on(UseCases u, Principal actor, StateKey key) throws Exception;
    }

    record UseCase(String name, Permission needs, Call call) {
        @Override
        public String toString() {
            return name + " needs " + needs.wireName();
        }
    }

    static final class UseCases {
        final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        final InMemoryBlobStore blobs = new InMemoryBlobStore();
        final AuditService audit = new AuditService(metadata, CLOCK);
        final SettingsService settings = new SettingsService(metadata, CLOCK);
        final StateService states = StateService.withDefaults(metadata, blobs, 1 << 20, CLOCK);
        final AnalysisPool pool = new AnalysisPool(1);
        final ParsedVersions parsed = new ParsedVersions(states, AnalysisLimits.of(1 << 20), pool);
        final VersionInsight insight = new VersionInsight(metadata, settings, parsed);
        final LockService locks = new LockService(metadata, settings, audit, CLOCK);
        final HistoryService history = new HistoryService(metadata, blobs, states, insight, audit);
        final QuarantineService quarantine =
                new QuarantineService(metadata, blobs, settings, insight, parsed, audit, CLOCK);
        final StatePolicies policies = new StatePolicies(metadata, settings, audit, CLOCK);
        final Workspaces workspaces = new Workspaces(metadata, settings, audit, CLOCK);
        final WorkspaceLocks workspaceLocks = new WorkspaceLocks(locks, CLOCK);
        final WorkspaceStateWrites workspaceWrites = new WorkspaceStateWrites(metadata, states, CLOCK);
        final ProjectService projects = new ProjectService(metadata, audit, CLOCK, null);
        final WebhookAdministration webhooks = new WebhookAdministration(
                metadata,
                projects,
                new WebhookSecrets(null),
                new WebhookTargets(false, Set.of()),
                audit,
                CLOCK,
                () -> {},
                new dev.statefort.core.event.WebhookSubscriptions(metadata, CLOCK));
        final EventFeed feed = new EventFeed(metadata, projects, CLOCK);
        final dev.statefort.core.surgery.StateSurgery surgery =
                new dev.statefort.core.surgery.StateSurgery(metadata, states, locks, insight, audit, CLOCK);
        final dev.statefort.core.fleet.FleetView fleet = new dev.statefort.core.fleet.FleetView(
                metadata, new dev.statefort.core.fleet.ConsumerLedger(metadata, CLOCK), CLOCK);
    }

    private static final WorkspaceStateWrites.Declared DECLARED =
            new WorkspaceStateWrites.Declared(1, "l", "0".repeat(32), false);

    static Stream<UseCase> useCases() {
        return Stream.of(
                new UseCase("read", Permission.READ, (u, a, k) -> u.states.read(a, k)),
                new UseCase("readGzipped", Permission.READ, (u, a, k) -> u.states.readGzipped(a, k)),
                new UseCase("readVersion", Permission.READ, (u, a, k) -> u.states.readVersion(a, k, 1)),
                new UseCase("state", Permission.READ, (u, a, k) -> u.states.state(a, k)),
                new UseCase("versions", Permission.READ, (u, a, k) -> u.states.versions(a, k, PageRequest.first(10))),
                new UseCase("states", Permission.READ, (u, a, k) -> u.states.states(a, k.project())),
                new UseCase("write", Permission.WRITE, (u, a, k) -> u.states.write(write(a, k))),
                new UseCase(
                        "preview",
                        Permission.WRITE,
                        (u, a, k) -> u.states.preview(a, k, new ByteArrayInputStream(STATE))),
                new UseCase("delete", Permission.ADMIN, (u, a, k) -> u.states.delete(a, k, null)),
                new UseCase("lock", Permission.WRITE, (u, a, k) -> u.locks.lock(a, k, LOCK)),
                new UseCase("unlock", Permission.WRITE, (u, a, k) -> u.locks.unlock(a, k, new byte[0])),
                new UseCase("forceUnlock", Permission.ADMIN, (u, a, k) -> u.locks.forceUnlock(a, k)),
                new UseCase("plan lock", Permission.READ, (u, a, k) -> u.locks.lock(a, k, PLAN_LOCK)),
                new UseCase("lock holders", Permission.READ, (u, a, k) -> u.locks.holders(a, k)),
                new UseCase("restore", Permission.ADMIN, (u, a, k) -> u.history.restore(a, k, 1)),
                new UseCase("deleteVersion", Permission.ADMIN, (u, a, k) -> u.history.deleteVersion(a, k, 1)),
                new UseCase("sessions", Permission.READ, (u, a, k) -> u.history.sessions(a, k)),
                new UseCase(
                        "surgery",
                        Permission.WRITE,
                        (u, a, k) -> u.surgery.perform(
                                a,
                                k,
                                List.of(dev.statefort.core.surgery.SurgeryOperation.of(
                                        "rm", "null_resource.x", null, null)),
                                true,
                                null)),
                new UseCase("consumers", Permission.READ, (u, a, k) -> u.fleet.consumers(a, k)),
                new UseCase("revertSession", Permission.ADMIN, (u, a, k) -> u.history.revertSession(a, k, "x")),
                new UseCase("quarantine", Permission.READ, (u, a, k) -> u.quarantine.quarantine(a, k)),
                new UseCase("quarantined", Permission.READ, (u, a, k) -> u.quarantine.quarantined(a, k, 1)),
                new UseCase("promote", Permission.ADMIN, (u, a, k) -> u.quarantine.promote(a, k, 1)),
                new UseCase("discard", Permission.ADMIN, (u, a, k) -> u.quarantine.discard(a, k, 1)),
                new UseCase("stateSettings", Permission.READ, (u, a, k) -> u.policies.stateSettings(a, k)),
                new UseCase(
                        "setOutputsAccess",
                        Permission.ADMIN,
                        (u, a, k) -> u.policies.setOutputsAccess(a, k, List.of("x"), null)),
                new UseCase("permitDestructive", Permission.ADMIN, (u, a, k) -> u.policies.permitDestructive(a, k, 5)),
                new UseCase("revokePermit", Permission.ADMIN, (u, a, k) -> u.policies.revokePermit(a, k)),
                new UseCase("insight current", Permission.READ, (u, a, k) -> u.insight.current(a, k)),
                new UseCase("insight document", Permission.READ, (u, a, k) -> u.insight.document(a, k, 1)),
                new UseCase("insight diff", Permission.READ, (u, a, k) -> u.insight.diff(a, k, 1, 1)),
                new UseCase("outputsOnly", Permission.OUTPUTS, (u, a, k) -> u.insight.outputsOnly(a, k)),
                new UseCase("currentOutputs", Permission.OUTPUTS, (u, a, k) -> u.insight.currentOutputs(a, k)),
                new UseCase("outputs", Permission.OUTPUTS, (u, a, k) -> u.insight.outputs(a, k, 1)),
                // a TFE client's workspaces, their locks and state versions
                new UseCase("workspace", Permission.OUTPUTS, (u, a, k) -> u.workspaces.require(a, k)),
                new UseCase(
                        "workspaces",
                        Permission.OUTPUTS,
                        (u, a, k) -> u.workspaces.list(a, k.project(), null, Set.of())),
                new UseCase(
                        "create workspace",
                        Permission.WRITE,
                        (u, a, k) -> u.workspaces.create(a, k, List.of("t"), null)),
                new UseCase(
                        "update workspace",
                        Permission.WRITE,
                        (u, a, k) -> u.workspaces.update(a, k, List.of("t"), "1.11.4")),
                new UseCase("add tags", Permission.WRITE, (u, a, k) -> u.workspaces.addTags(a, k, List.of("t"))),
                new UseCase("remove tags", Permission.WRITE, (u, a, k) -> u.workspaces.removeTags(a, k, List.of("t"))),
                new UseCase("workspace lock", Permission.WRITE, (u, a, k) -> u.workspaceLocks.lock(a, k, "r", null)),
                new UseCase("workspace unlock", Permission.WRITE, (u, a, k) -> u.workspaceLocks.unlock(a, k)),
                new UseCase(
                        "workspace force-unlock", Permission.WRITE, (u, a, k) -> u.workspaceLocks.forceUnlock(a, k)),
                new UseCase(
                        "grant uploads", Permission.WRITE, (u, a, k) -> u.workspaceWrites.grantUploads(a, k, DECLARED)),
                new UseCase(
                        "write inline",
                        Permission.WRITE,
                        (u, a, k) -> u.workspaceWrites.writeInline(a, k, DECLARED, STATE)),
                // a project's webhooks and its event stream
                new UseCase(
                        "create webhook",
                        Permission.ADMIN,
                        (u, a, k) ->
                                u.webhooks.create(a, k.project(), "https://hooks.example.com/x", List.of("*"), null)),
                new UseCase("list webhooks", Permission.ADMIN, (u, a, k) -> u.webhooks.list(a, k.project())),
                new UseCase("get webhook", Permission.ADMIN, (u, a, k) -> u.webhooks.get(a, k.project(), "wh_x")),
                new UseCase("delete webhook", Permission.ADMIN, (u, a, k) -> u.webhooks.delete(a, k.project(), "wh_x")),
                new UseCase(
                        "rotate webhook secret",
                        Permission.ADMIN,
                        (u, a, k) -> u.webhooks.rotateSecret(a, k.project(), "wh_x")),
                new UseCase("ping webhook", Permission.ADMIN, (u, a, k) -> u.webhooks.ping(a, k.project(), "wh_x")),
                new UseCase(
                        "webhook deliveries",
                        Permission.ADMIN,
                        (u, a, k) -> u.webhooks.deliveries(a, k.project(), "wh_x", 10)),
                new UseCase(
                        "redeliver", Permission.ADMIN, (u, a, k) -> u.webhooks.redeliver(a, k.project(), "wh_x", "e")),
                new UseCase("event stream", Permission.READ, (u, a, k) -> u.feed.open(a, k.project(), null)));
    }

    private UseCases u;

    @BeforeEach
    void setUp() throws Exception {
        u = new UseCases();
        u.metadata.createProject("p", CLOCK.instant());
        u.states.write(write(new Principal("seed", "p", Permission.ADMIN), KEY));
    }

    @AfterEach
    void tearDown() {
        u.pool.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("useCases")
    void oneLevelBelowIsRefusedAndChangesNothing(UseCase useCase) throws Exception {
        Permission below = below(useCase.needs());
        var eventsBefore = auditEvents();
        var versionsBefore = u.metadata.listVersions(KEY, PageRequest.first(10)).items();
        Principal actor = below == null ? new Principal("other", "elsewhere", Permission.ADMIN) : at(below);

        assertThatThrownBy(() -> useCase.call().on(u, actor, KEY)).isInstanceOf(AccessDeniedException.class);

        assertThat(auditEvents()).as("no audit event").isEqualTo(eventsBefore);
        assertThat(u.metadata.listVersions(KEY, PageRequest.first(10)).items()).isEqualTo(versionsBefore);
        assertThat(u.metadata.findLock(KEY)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("useCases")
    void theLevelItNeedsPassesTheCheckSoAMissingProjectIs404(UseCase useCase) {
        Principal actor = new Principal("global", null, useCase.needs());
        assertThatThrownBy(() -> useCase.call().on(u, actor, MISSING)).isInstanceOf(ProjectNotFoundException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("useCases")
    void anOutsiderGetsTheSame403WhetherOrNotTheProjectExists(UseCase useCase) {
        Principal outsider = new Principal("outsider", "elsewhere", Permission.ADMIN);
        String onExisting = refusal(useCase, outsider, KEY);
        String onMissing = refusal(useCase, outsider, MISSING);
        assertThat(onMissing.replace("nope", "p")).isEqualTo(onExisting);
    }

    private String refusal(UseCase useCase, Principal actor, StateKey key) {
        try {
            useCase.call().on(u, actor, key);
        } catch (AccessDeniedException denied) {
            return denied.getMessage();
        } catch (Exception other) {
            throw new AssertionError(useCase + " on " + key + " threw " + other + " instead of 403", other);
        }
        throw new AssertionError(useCase + " on " + key + " was allowed for " + actor.name());
    }

    private List<?> auditEvents() {
        return u.metadata.listAudit(new AuditQuery(null, null, null, null, null, null, 1000, null));
    }

    private static Principal at(Permission permission) {
        return new Principal("token:" + permission.wireName(), "p", permission);
    }

    private static Permission below(Permission needed) {
        return switch (needed) {
            case OUTPUTS -> null;
            case READ -> Permission.OUTPUTS;
            case WRITE -> Permission.READ;
            case ADMIN -> Permission.WRITE;
        };
    }

    private static WriteRequest write(Principal actor, StateKey key) {
        return WriteRequest.of(key, new ByteArrayInputStream(STATE), STATE.length, actor);
    }
}
