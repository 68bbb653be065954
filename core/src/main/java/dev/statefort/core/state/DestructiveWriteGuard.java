package dev.statefort.core.state;

import dev.statefort.core.model.QuarantineRecord;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Flags writes that look destructive compared with the current version: all resources of a
 * non-empty state removed, more than a share removed, lineage changed, serial lowered. Only
 * readable states are judged; the first write of a state never is.
 */
public final class DestructiveWriteGuard {
    public static final String REMOVES_ALL = "removes-all-resources";
    public static final String REMOVES_MOST = "removes-most-resources";
    public static final String LINEAGE_CHANGED = "lineage-changed";
    public static final String SERIAL_DECREASED = "serial-decreased";

    private DestructiveWriteGuard() {}

    public static List<String> findings(VersionRecord current, StateSummary next, int removalPercent) {
        List<String> findings = new ArrayList<>();
        if (current == null || !next.readable()) {
            return findings;
        }
        Integer before = current.resourceCount();
        Integer after = next.resourceCount();
        if (before != null && after != null && before > 0) {
            if (after == 0) {
                findings.add(REMOVES_ALL);
            } else if ((long) (before - after) * 100 > (long) removalPercent * before) {
                findings.add(REMOVES_MOST);
            }
        }
        if (current.lineage() != null && next.lineage() != null && !Objects.equals(current.lineage(), next.lineage())) {
            findings.add(LINEAGE_CHANGED);
        }
        if (current.serial() != null && next.serial() != null && next.serial() < current.serial()) {
            findings.add(SERIAL_DECREASED);
        }
        return findings;
    }

    /** Human words for the findings, for the 409 message and the UI. */
    public static String describe(List<String> findings) {
        List<String> words = new ArrayList<>();
        for (String f : findings) {
            words.add(
                    switch (f) {
                        case REMOVES_ALL -> "it removes every resource of a non-empty state";
                        case REMOVES_MOST -> "it removes more than the allowed share of the resources";
                        case LINEAGE_CHANGED -> "it changes the state's lineage";
                        case SERIAL_DECREASED -> "it lowers the serial";
                        default -> f;
                    });
        }
        return String.join("; ", words);
    }

    /** What a client is told of a write the guard refused and quarantined, with the two ways to let it through. */
    public static String refusal(StateKey key, QuarantineRecord q) {
        return "Statefort refused this write to " + key + ": "
                + describe(q.reasons())
                + " (destructive-write guard, mode enforce). Nothing was lost: the refused state is kept as quarantined write "
                + q.id() + ". To allow it, an admin can permit destructive writes on this state for a while "
                + "(statefort state permit-destructive --project " + key.project() + " --state " + key.name()
                + " --minutes 30, or POST /api/v1/projects/" + key.project() + "/states/" + key.name()
                + "/permit) and you run the command again, or promote the quarantined write "
                + "(POST /api/v1/projects/" + key.project() + "/states/" + key.name() + "/quarantine/" + q.id()
                + "/promote).";
    }
}
