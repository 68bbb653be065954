package dev.statefort.core.model;

import java.util.List;

/**
 * What {@code StateStore.commitVersions} did: every version committed, in the order given, or none
 * and why (the first commit that would have been refused, and its state).
 *
 * @param committed every commit's result when all were written; empty when none was
 * @param refusedState the state whose commit was refused, or null
 * @param refusal why ({@link CommitResult.LockedBy} or {@link CommitResult.Fenced}), or null
 */
public record JointCommit(List<CommitResult.Committed> committed, StateKey refusedState, CommitResult refusal) {
    public JointCommit {
        committed = List.copyOf(committed);
    }

    public static JointCommit written(List<CommitResult.Committed> committed) {
        return new JointCommit(committed, null, null);
    }

    public static JointCommit refused(StateKey state, CommitResult refusal) {
        return new JointCommit(List.of(), state, refusal);
    }

    public boolean isWritten() {
        return refusal == null;
    }
}
