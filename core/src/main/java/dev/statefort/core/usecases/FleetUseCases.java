package dev.statefort.core.usecases;

import dev.statefort.core.fleet.ConsumerLedger;
import dev.statefort.core.fleet.FleetView;
import dev.statefort.core.fleet.StateIndexer;

/**
 * Every state at once, as a platform team asks about them.
 *
 * @param view search, objects managed twice, the overview, who reads a state's outputs
 * @param indexer keeps the search index on every state's current version (background work, any node)
 * @param consumers counts outputs reads, flushed to the store in batches (background work)
 */
public record FleetUseCases(FleetView view, StateIndexer indexer, ConsumerLedger consumers) {}
