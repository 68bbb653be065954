package dev.statefort.core.fleet;

import dev.statefort.core.audit.AuditAction;
import dev.statefort.core.insight.ParsedVersions;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.insight.TooLargeToAnalyseException;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.IndexedInstance;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.spi.BlobNotFoundException;
import dev.statefort.core.spi.MetadataStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the search index on every state's current version. A write on this node marks its state
 * ({@link #written}); {@link #indexMarked} indexes the marked states, and {@link #catchUp} finds every
 * state whose index is behind (another node's write, a crash between a write and its indexing). Each
 * state's current version is parsed on the analysis pool, never on a request's thread; the store
 * replaces the index only while that version is still current, so nodes racing on one state agree.
 */
public final class StateIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(StateIndexer.class);
    /** States looked at per {@link #catchUp} pass. */
    static final int CATCH_UP_BATCH = 200;

    private final MetadataStore metadata;
    private final ParsedVersions parsed;
    private final java.util.function.Function<VersionRecord, java.io.InputStream> content;
    private final Set<StateKey> marked = ConcurrentHashMap.newKeySet();

    /**
     * @param content a version's bytes as background work reads them ({@code
     *     StateService::contentInBackground}: not counted, not kept in the read cache)
     */
    public StateIndexer(
            MetadataStore metadata,
            ParsedVersions parsed,
            java.util.function.Function<VersionRecord, java.io.InputStream> content) {
        this.metadata = metadata;
        this.parsed = parsed;
        this.content = content;
    }

    /** The recorded actions that make a new current version. */
    private static final Set<String> NEW_HEAD = Set.of(
            AuditAction.STATE_WRITE.wireName(),
            AuditAction.STATE_WRITE_FLAGGED.wireName(),
            AuditAction.STATE_WRITE_PERMITTED.wireName(),
            AuditAction.STATE_IMPORT.wireName(),
            AuditAction.VERSION_RESTORE.wireName(),
            AuditAction.SESSION_REVERT.wireName(),
            AuditAction.QUARANTINE_PROMOTE.wireName());

    /** Marks the state of a recorded action that made a new current version; true when it did. */
    public boolean recorded(AuditEvent e) {
        if (e.project() == null
                || e.state() == null
                || !AuditEvent.OK.equals(e.outcome())
                || !NEW_HEAD.contains(e.action())) {
            return false;
        }
        written(new StateKey(e.project(), e.state()));
        return true;
    }

    /** A new version of {@code key} was committed on this node: index it at the next pass. */
    public void written(StateKey key) {
        marked.add(key);
    }

    /** Indexes the states marked so far; returns how many indexes it replaced. */
    public int indexMarked() {
        List<StateKey> batch = new ArrayList<>(marked);
        marked.removeAll(batch);
        return indexAll(batch);
    }

    /**
     * Indexes states whose index is behind their current version, {@value #CATCH_UP_BATCH} at a time
     * until none is left; returns how many indexes it replaced.
     */
    public int catchUp() {
        int replaced = 0;
        for (int pass = 0; pass < 1000; pass++) {
            List<StateKey> behind = metadata.findUnindexed(CATCH_UP_BATCH);
            int done = indexAll(behind);
            replaced += done;
            if (behind.size() < CATCH_UP_BATCH || done == 0) {
                return replaced;
            }
        }
        return replaced;
    }

    /**
     * Indexes each state; one that fails (a database error, an analysis pool too busy) is logged and
     * left to the next catch-up, and the others go on.
     */
    private int indexAll(List<StateKey> keys) {
        int replaced = 0;
        for (StateKey key : keys) {
            try {
                replaced += index(key) ? 1 : 0;
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not index state {} (tried again within {} s): {}", key, 10, e.toString());
            }
        }
        return replaced;
    }

    /**
     * Indexes the current version of {@code key} unless the index holds it already; true when
     * replaced, false when it was current already, the state has no version, or its blob was being
     * moved (tried again at the next pass).
     */
    public boolean index(StateKey key) throws IOException {
        Optional<VersionRecord> head = metadata.headVersion(key);
        if (head.isEmpty()) {
            return false;
        }
        StateIndex index = indexOf(head.get());
        return index != null && metadata.replaceIndex(index);
    }

    private StateIndex indexOf(VersionRecord version) throws IOException {
        if (!parsed.isAnalysable(version)) {
            return new StateIndex(version.key(), version.number(), StateIndex.Status.TOO_LARGE, List.of());
        }
        try {
            // parsed once and not cached: the index is built once per version, pages parse what they show
            Optional<StateDocument> document =
                    parsed.parseOnce(version.key(), version.number(), version.size(), () -> content.apply(version));
            if (document.isEmpty()) {
                return new StateIndex(version.key(), version.number(), StateIndex.Status.NOT_READABLE, List.of());
            }
            List<IndexedInstance> instances = parsed.pool().run(() -> InstanceIndexing.of(document.get()));
            return new StateIndex(version.key(), version.number(), StateIndex.Status.INDEXED, instances);
        } catch (TooLargeToAnalyseException e) {
            return new StateIndex(version.key(), version.number(), StateIndex.Status.TOO_LARGE, List.of());
        } catch (BlobNotFoundException e) {
            // pruned or moved since the head was read: nothing claimed, the next pass reads the head again
            return null;
        }
    }
}
