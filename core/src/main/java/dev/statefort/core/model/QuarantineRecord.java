package dev.statefort.core.model;

import java.util.List;

/**
 * A write refused by the destructive-write guard, kept so an admin can view, diff and promote it.
 *
 * @param id server-assigned per state, 1, 2, 3 ...
 * @param version the refused write, as it would have been committed
 * @param reasons why the guard refused it (e.g. {@code removes-all-resources})
 */
public record QuarantineRecord(StateKey key, long id, NewVersion version, String lockId, List<String> reasons) {
    public QuarantineRecord {
        reasons = List.copyOf(reasons);
    }
}
