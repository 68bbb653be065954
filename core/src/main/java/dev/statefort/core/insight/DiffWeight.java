package dev.statefort.core.insight;

import java.util.Optional;

/** The heap a diff result holds: its names, paths and values, counted with {@link HeapWeight}. */
final class DiffWeight {
    private static final long ENTRY = 48;

    private DiffWeight() {}

    static long of(Optional<StateDiff.Result> diff) {
        return diff.map(DiffWeight::of).orElse(ENTRY);
    }

    static long of(StateDiff.Result diff) {
        long bytes = ENTRY;
        for (String name : diff.resourcesAdded()) {
            bytes += ENTRY + HeapWeight.ofString(name);
        }
        for (String name : diff.resourcesRemoved()) {
            bytes += ENTRY + HeapWeight.ofString(name);
        }
        for (StateDiff.ResourceChange change : diff.resourcesChanged()) {
            bytes += ENTRY + HeapWeight.ofString(change.address());
            for (StateDiff.AttributeChange a : change.changes()) {
                bytes += ENTRY + HeapWeight.ofString(a.path()) + HeapWeight.of(a.before(), a.after());
            }
        }
        for (String name : diff.outputsAdded()) {
            bytes += ENTRY + HeapWeight.ofString(name);
        }
        for (String name : diff.outputsRemoved()) {
            bytes += ENTRY + HeapWeight.ofString(name);
        }
        for (StateDiff.OutputChange change : diff.outputsChanged()) {
            bytes += ENTRY + HeapWeight.ofString(change.name()) + HeapWeight.of(change.before(), change.after());
        }
        return bytes;
    }
}
