package dev.statefort.core.transfer;

import dev.statefort.core.StatefortException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.io.Digests;
import dev.statefort.core.model.Names;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.PageRequest;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StateSummary;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.workspace.Workspaces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings the states of a {@link StateSource} into a project: each version, oldest first, becomes a
 * new version of the state of the same name, audited as {@code state.import} (with the source's
 * origin and creation time) besides its {@code state.write}.
 *
 * <p>Idempotent: a version whose lineage, serial and SHA-256 equal a stored version's of that state
 * is skipped, so a second run imports only what is new. A failure (an unreadable version, a locked
 * state, an invalid name) stops that state's remaining versions, so its history never gets a hole,
 * and never the other states. Imports are not judged by the destructive-write guard: they
 * reproduce history that already happened.
 */
public final class StateImport {
    private final StateService states;
    private final AuditService audit;
    private final Workspaces workspaces;

    /** {@code workspaces} keeps the tags a source's states carry (HCP Terraform's workspace tags). */
    public StateImport(StateService states, AuditService audit, Workspaces workspaces) {
        this.states = states;
        this.audit = audit;
        this.workspaces = workspaces;
    }

    /**
     * Imports every state of {@code source} into {@code project}, printing a line per version to
     * {@code out}; with {@code dryRun} nothing is written.
     *
     * @throws dev.statefort.core.model.ProjectNotFoundException when the project does not exist
     * @throws IOException when the source cannot be listed at all
     */
    public ImportReport run(Principal actor, String project, StateSource source, boolean dryRun, Consumer<String> out)
            throws IOException {
        states.states(actor, project); // the project must exist (and be readable) before anything is read
        Counts counts = new Counts();
        Map<String, String> named = new HashMap<>();
        for (SourceState found : source.states()) {
            String first = named.putIfAbsent(found.name(), found.origin());
            if (first != null) {
                counts.failed++;
                out.accept("failed   " + found.origin() + ": its name '" + found.name() + "' is already taken by "
                        + first + " in this import");
                continue;
            }
            importState(project, found, dryRun, actor, out, counts);
        }
        return new ImportReport(counts.imported, counts.skipped, counts.failed, dryRun);
    }

    private void importState(
            String project, SourceState found, boolean dryRun, Principal actor, Consumer<String> out, Counts counts) {
        if (!Names.isValid(found.name())) {
            counts.failed++;
            out.accept("failed   " + found.origin() + ": '" + found.name() + "' is not a valid state name");
            return;
        }
        StateKey key = new StateKey(project, found.name());
        List<SourceVersion> versions;
        try {
            versions = found.versions().list();
        } catch (IOException | RuntimeException e) {
            counts.failed++;
            out.accept("failed   " + key.name() + " (" + found.origin() + "): cannot list its versions: " + reason(e));
            return;
        }
        Set<Fingerprint> present = fingerprints(actor, key);
        for (SourceVersion version : versions) {
            try {
                if (!importVersion(key, version, present, dryRun, actor, out, counts)) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                counts.failed++;
                out.accept("failed   " + key.name() + " from " + version.origin() + ": " + reason(e)
                        + (versions.getLast() == version ? "" : " (its later versions are not imported)"));
                return;
            }
        }
        keepTags(key, found, dryRun, actor, out, counts);
    }

    /** The source's tags, added to the state's (a workspace without versions is created, to carry them). */
    private void keepTags(
            StateKey key, SourceState found, boolean dryRun, Principal actor, Consumer<String> out, Counts counts) {
        if (found.tags().isEmpty()) {
            return;
        }
        out.accept((dryRun ? "would tag " : "tagged   ") + key.name() + ": " + String.join(", ", found.tags()));
        if (dryRun) {
            return;
        }
        try {
            if (workspaces.find(actor, key).isPresent()) {
                workspaces.addTags(actor, key, found.tags());
            } else {
                workspaces.create(actor, key, found.tags(), null);
            }
        } catch (RuntimeException e) {
            counts.failed++;
            out.accept("failed   " + key.name() + " (" + found.origin() + "): its tags: " + reason(e));
        }
    }

    /** False when the state's remaining versions must not be imported. */
    private boolean importVersion(
            StateKey key,
            SourceVersion version,
            Set<Fingerprint> present,
            boolean dryRun,
            Principal actor,
            Consumer<String> out,
            Counts counts)
            throws IOException {
        byte[] body = read(version);
        StateSummary summary = StateSummary.of(new ByteArrayInputStream(body));
        Fingerprint fingerprint = new Fingerprint(summary.lineage(), summary.serial(), Digests.sha256Hex(body));
        if (present.contains(fingerprint)) {
            counts.skipped++;
            out.accept("skipped  " + key.name() + " from " + version.origin() + " (already present)");
            return true;
        }
        if (dryRun) {
            present.add(fingerprint);
            counts.imported++;
            out.accept("would import " + key.name() + " from " + version.origin() + describe(summary));
            return true;
        }
        WriteOutcome outcome = states.write(WriteRequest.of(key, new ByteArrayInputStream(body), body.length, actor)
                .imported(version.createdAt()));
        if (!(outcome instanceof WriteOutcome.Written written)) {
            counts.failed++;
            out.accept("failed   " + key.name() + " from " + version.origin() + ": " + refusal(outcome));
            return false;
        }
        present.add(fingerprint);
        counts.imported++;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("version", written.version().number());
        detail.put("source", version.origin());
        if (version.createdAt() != null) {
            detail.put("createdAt", version.createdAt().toString());
        }
        audit.record(actor, AuditAction.STATE_IMPORT, key, detail);
        out.accept("imported " + key.name() + " v" + written.version().number() + " from " + version.origin()
                + describe(summary));
        return true;
    }

    private byte[] read(SourceVersion version) throws IOException {
        try (InputStream in = version.body().open()) {
            return states.readWhole(in);
        }
    }

    private Set<Fingerprint> fingerprints(Principal actor, StateKey key) {
        Set<Fingerprint> present = new HashSet<>();
        if (states.state(actor, key).isEmpty()) {
            return present;
        }
        Long before = null;
        do {
            Page<VersionRecord> page = states.versions(actor, key, new PageRequest(PageRequest.MAX_LIMIT, before));
            for (VersionRecord v : page.items()) {
                present.add(new Fingerprint(v.lineage(), v.serial(), v.sha256()));
            }
            before = page.nextBefore();
        } while (before != null);
        return present;
    }

    private static String describe(StateSummary summary) {
        return summary.readable() ? " (serial " + summary.serial() + ", lineage " + summary.lineage() + ")" : "";
    }

    private static String refusal(WriteOutcome outcome) {
        return switch (outcome) {
            case WriteOutcome.Locked l ->
                "the state is locked by " + l.holder().info().who() + " (lock ID "
                        + l.holder().id() + ")";
            case WriteOutcome.Refused r -> "the destructive-write guard refused it";
            case WriteOutcome.Fenced f -> "its lock expired";
            case WriteOutcome.PlanLockOnly p -> "a plan lock does not allow writes";
            case WriteOutcome.Written w -> "written";
        };
    }

    private static String reason(Exception e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return u.getCause().getMessage();
        }
        if (e instanceof StatefortException || e instanceof IOException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private record Fingerprint(String lineage, Long serial, String sha256) {}

    private static final class Counts {
        int imported;
        int skipped;
        int failed;
    }
}
