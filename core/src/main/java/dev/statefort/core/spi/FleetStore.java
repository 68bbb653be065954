package dev.statefort.core.spi;

import dev.statefort.core.model.ConsumerRead;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.ReadScope;
import dev.statefort.core.model.SearchHit;
import dev.statefort.core.model.SearchQuery;
import dev.statefort.core.model.StateIndex;
import dev.statefort.core.model.StateKey;
import java.time.Instant;
import java.util.List;

/**
 * Every state at once: the search index of their current versions, who reads whose outputs, and the
 * fleet's overview. One concern of {@link MetadataStore}: its general rules apply, and every
 * implementation passes the contract suite in store-tck.
 *
 * <p>The index is derived data: it is rebuilt from a state's current version whenever it does not
 * hold that version (after a write, after a crash between a write and its indexing), so replacing it
 * is idempotent and never part of a write's transaction.
 */
public interface FleetStore {
    /** Longest term the index keeps: a value is found by what its first this-many characters start with. */
    int MAX_TERM_CHARS = 200;

    /**
     * Makes {@code index} what the search index holds for its state, in one transaction, replacing
     * what it held: only while {@code index.version()} is still the state's current version and the
     * index does not already hold it. True when written; false when the state is gone, has moved on,
     * or was already indexed at that version (by this node or another).
     */
    boolean replaceIndex(StateIndex index);

    /**
     * States with a current version the index does not hold (never indexed, written since, or
     * indexed from a version since replaced), at most {@code limit}, in no particular order.
     */
    List<StateKey> findUnindexed(int limit);

    /**
     * Indexed instances of the states in {@code query.scope()} with a term starting with the query's
     * text (see {@link SearchTerms}), of its type when set; exact matches
     * first, each instance once (its first matching field), at most {@code query.limit()}.
     */
    List<SearchHit> search(SearchQuery query);

    /**
     * Objects (same {@link dev.statefort.core.model.IndexedInstance#ownerKey()}) managed by more than
     * one state of {@code scope}, counting only states in it, by key; at most {@code limit} objects.
     */
    List<DuplicateObject> findDuplicates(ReadScope scope, int limit);

    /**
     * Adds counted reads: per (state, reader) the count is added, the first time kept when earlier,
     * the last time and {@code via} taken when later. Reads of a state that no longer exists are dropped.
     */
    void addConsumerReads(List<ConsumerRead> reads);

    /** Who read {@code key}'s outputs, most recent first. */
    List<ConsumerRecord> listConsumers(StateKey key);

    /**
     * Every state of {@code scope}, by project then name, with its writes and guard refusals counted
     * from {@code since}.
     */
    List<FleetState> listFleetStates(ReadScope scope, Instant since);
}
