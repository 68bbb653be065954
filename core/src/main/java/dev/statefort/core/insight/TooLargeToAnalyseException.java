package dev.statefort.core.insight;

import dev.statefort.core.StatefortException;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.state.ByteSizes;

/**
 * A version over the {@link AnalysisLimits} (larger than {@code insight-max-state-size}, more JSON
 * values than {@code insight-max-nodes}, nested too deep) is not parsed for resources, outputs or
 * diffs (answered 413): its bytes can still be downloaded whole.
 */
public class TooLargeToAnalyseException extends StatefortException {
    public TooLargeToAnalyseException(StateKey key, long number, long size, long max) {
        this(
                key,
                number,
                "it is " + ByteSizes.format(size) + ", more than insight-max-state-size (" + ByteSizes.format(max)
                        + ")");
    }

    /** @param reason why, e.g. "it nests deeper than an analysis follows" */
    public TooLargeToAnalyseException(StateKey key, long number, String reason) {
        super("version " + number + " of " + key + " is too large to analyse here: " + reason
                + "; download it (GET /api/v1/projects/" + key.project() + "/states/" + key.name() + "/versions/"
                + number + "/content)");
    }
}
