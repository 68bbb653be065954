package dev.statefort.core.storage;

import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a project's blobs to another storage profile while the server keeps serving (REST, UI and
 * CLI alike; a global admin only). Starting records the target on the project ({@link
 * ProjectRecord#movingTo()}), so every new blob goes there at once; then passes over every version
 * and quarantined write relocate each blob ({@link BlobRelocation}: copy, verify the SHA-256,
 * switch the row, delete the old blob) until a pass finds none left; then the project's profile
 * becomes the target. A write that chose the old profile just before the start moves its own blob
 * after it commits. Every step is idempotent, so an interrupted move is finished by starting it
 * again, on any node; the progress is counted from the rows, so every node reports the same.
 */
public final class StorageMoves {
    private static final Logger LOG = LoggerFactory.getLogger(StorageMoves.class);
    /** Passes before giving up: after the first, a pass only finds writes that began before the start. */
    static final int MAX_PASSES = 10;

    private static final int PAGE = 200;

    /**
     * Where a project's blobs are.
     *
     * @param storage the project's profile
     * @param movingTo the target of a move in progress, or null
     * @param blobs the blobs of its versions and quarantined writes
     * @param remaining how many of them are not on {@link #target()} yet
     * @param running whether this node is running the move now
     * @param problem why the last run on this node stopped short, or null
     */
    public record Progress(
            String project,
            String storage,
            String movingTo,
            long blobs,
            long remaining,
            boolean running,
            String problem) {
        /** Where the project's blobs are going (or are). */
        public String target() {
            return movingTo != null ? movingTo : storage;
        }

        /** No move in progress and every blob on the project's profile. */
        public boolean done() {
            return movingTo == null && remaining == 0;
        }
    }

    private final MetadataStore metadata;
    private final StorageProfiles profiles;
    private final BlobRelocation relocation;
    private final AuditService audit;
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /** @param blobs the store the services use (decrypting, routed by key) */
    public StorageMoves(MetadataStore metadata, BlobStore blobs, StorageProfiles profiles, AuditService audit) {
        this.metadata = metadata;
        this.profiles = profiles;
        this.relocation = new BlobRelocation(metadata, blobs);
        this.audit = audit;
    }

    /** Starts (or resumes) moving {@code project} to {@code to} and runs it to the end in this thread. */
    public Progress move(Principal actor, String project, String to, Consumer<Progress> afterEachPass)
            throws IOException {
        String target = begin(actor, project, to);
        running.put(project, true);
        try {
            return run(actor, project, target, afterEachPass);
        } finally {
            running.remove(project);
        }
    }

    /**
     * Starts (or resumes) the move and runs it on a background thread of this node; returns the
     * progress at once. A run already going on this node is not started twice.
     */
    public Progress moveInBackground(Principal actor, String project, String to) {
        String target = begin(actor, project, to);
        if (running.putIfAbsent(project, true) == null) {
            problems.remove(project);
            Thread.ofVirtual().name("storage-move-" + project).start(() -> {
                try {
                    run(actor, project, target, null); // nobody watches: count nothing between passes
                } catch (IOException | RuntimeException e) {
                    problems.put(project, e.getMessage() == null ? e.toString() : e.getMessage());
                    LOG.warn(
                            "moving project {} to storage profile '{}' stopped: {}; start it again to resume",
                            project,
                            target,
                            e.toString());
                } finally {
                    running.remove(project);
                }
            });
        }
        return progress(project);
    }

    /** Where the project's blobs are now; needs a global admin. */
    public Progress progress(Principal actor, String project) {
        requireGlobalAdmin(actor);
        return progress(project);
    }

    /** Checks, then records the move on the project (audited) unless it is already going there; returns the target. */
    private String begin(Principal actor, String project, String to) {
        requireGlobalAdmin(actor);
        if (to == null || to.isBlank()) {
            throw new InvalidInputException("name the storage profile to move the project to");
        }
        String target = profiles.choose(to);
        ProjectRecord p = metadata.requireProject(project);
        if (p.movingTo() == null && !p.storage().equals(target)) {
            if (metadata.beginStorageMove(project, p.storage(), target)) {
                audit.record(
                        actor,
                        AuditAction.STORAGE_MOVE_START,
                        project,
                        null,
                        Map.of("from", p.storage(), "to", target));
                LOG.info(
                        "project {}: moving its blobs from storage profile '{}' to '{}'", project, p.storage(), target);
                return target;
            }
            p = metadata.requireProject(project); // another node began a move meanwhile
        }
        if (p.movingTo() != null && !p.movingTo().equals(target)) {
            throw new ConflictException("project '" + project + "' is being moved to storage profile '" + p.movingTo()
                    + "'; finish that move first (move it to '" + p.movingTo() + "' again)");
        }
        return target;
    }

    /** @param afterEachPass hears the progress after each pass; null: nobody listens */
    private Progress run(Principal actor, String project, String target, Consumer<Progress> afterEachPass)
            throws IOException {
        long moved = 0;
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            long[] found = {0};
            moved += relocateAll(project, target, found);
            if (afterEachPass != null) {
                afterEachPass.accept(progress(project)); // a walk of its own: only for a caller that shows it
            }
            if (found[0] == 0) {
                ProjectRecord p = metadata.requireProject(project);
                if (p.movingTo() != null && metadata.finishStorageMove(project, target)) {
                    audit.record(
                            actor,
                            AuditAction.STORAGE_MOVE_FINISH,
                            project,
                            null,
                            Map.of("from", p.storage(), "to", target, "moved", moved));
                    LOG.info(
                            "project {}: its blobs are on storage profile '{}' now ({} moved)", project, target, moved);
                }
                return progress(project);
            }
        }
        throw new ConflictException("writes kept landing on the old storage profile for " + MAX_PASSES
                + " passes; start the move again to finish it");
    }

    /** One pass: relocates every blob of the project not on {@code target}; {@code found[0]} counts those seen. */
    private long relocateAll(String project, String target, long[] found) throws IOException {
        long[] moved = {0};
        try {
            forEachBlob(project, new BlobVisitor() {
                @Override
                public void version(VersionRecord v, String storage) {
                    count(relocate(() -> relocation.relocate(v, storage, target)));
                }

                @Override
                public void quarantined(QuarantineRecord q, String storage) {
                    count(relocate(() -> relocation.relocate(q, storage, target)));
                }

                private void count(BlobRelocation.Outcome outcome) {
                    if (outcome != BlobRelocation.Outcome.IN_PLACE) {
                        found[0]++;
                    }
                    if (outcome == BlobRelocation.Outcome.MOVED) {
                        moved[0]++;
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return moved[0];
    }

    private Progress progress(String project) {
        ProjectRecord p = metadata.requireProject(project);
        String target = p.placement();
        long[] counts = {0, 0};
        forEachBlob(project, new BlobVisitor() {
            @Override
            public void version(VersionRecord v, String storage) {
                count(v.blobKey(), storage);
            }

            @Override
            public void quarantined(QuarantineRecord q, String storage) {
                count(q.version().blobKey(), storage);
            }

            private void count(String blobKey, String storage) {
                counts[0]++;
                if (!BlobRelocation.isInPlace(blobKey, storage, target)) {
                    counts[1]++;
                }
            }
        });
        return new Progress(
                project,
                p.storage(),
                p.movingTo(),
                counts[0],
                counts[1],
                running.containsKey(project),
                problems.get(project));
    }

    /** What {@link #forEachBlob} hands each row to, with the project's profile as read at the start of the walk. */
    private interface BlobVisitor {
        void version(VersionRecord version, String projectStorage);

        void quarantined(QuarantineRecord quarantined, String projectStorage);
    }

    /**
     * Every quarantined write, then every version (in resumable pages) of the project. In this order
     * a write promoted from quarantine to version during the walk is seen in one of the two.
     */
    private void forEachBlob(String project, BlobVisitor visitor) {
        String storage = metadata.requireProject(project).storage();
        for (StateRecord state : metadata.listStates(project)) {
            metadata.listQuarantine(state.key()).forEach(q -> visitor.quarantined(q, storage));
        }
        String afterState = null;
        Long afterNumber = null;
        while (true) {
            List<VersionRecord> page = metadata.listProjectVersions(project, afterState, afterNumber, PAGE);
            page.forEach(v -> visitor.version(v, storage));
            if (page.size() < PAGE) {
                break;
            }
            afterState = page.getLast().key().name();
            afterNumber = page.getLast().number();
        }
    }

    /** One relocation, its IOException unchecked for the visitor. */
    private static BlobRelocation.Outcome relocate(Relocating step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Relocating {
        BlobRelocation.Outcome run() throws IOException;
    }

    private static void requireGlobalAdmin(Principal actor) {
        if (!actor.isGlobalAdmin()) {
            throw new AccessDeniedException("moving a project's storage needs a global admin");
        }
    }
}
