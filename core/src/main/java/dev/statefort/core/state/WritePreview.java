package dev.statefort.core.state;

import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.GuardMode;
import java.util.List;

/**
 * How a write would be judged before it is made ({@link StateService#preview}): what the body is,
 * the destructive-write guard's findings against the current version, and what the project's guard
 * mode would do with them.
 *
 * @param current the state's current version, or null for a new state
 * @param findings the guard's findings (empty when it finds nothing, or is off)
 */
public record WritePreview(
        StateSummary summary, long size, VersionRecord current, List<String> findings, GuardMode guard) {
    public WritePreview {
        findings = List.copyOf(findings);
    }

    /** The guard would quarantine the write instead of storing it (unless the state has a permit). */
    public boolean wouldBeQuarantined() {
        return !findings.isEmpty() && guard == GuardMode.ENFORCE;
    }

    /** The findings as one sentence, or null when there are none. */
    public String warning() {
        return findings.isEmpty() ? null : DestructiveWriteGuard.describe(findings);
    }
}
