package dev.statefort.core.insight;

import dev.statefort.core.StatefortException;
import dev.statefort.core.state.ByteSizes;
import dev.statefort.core.state.StateKey;

/**
 * A version larger than {@code insight-max-state-size} is not parsed for resources, outputs or
 * diffs (answered 413): its bytes can still be downloaded whole.
 */
public class TooLargeToAnalyseException extends StatefortException {
    public TooLargeToAnalyseException(StateKey key, long number, long size, long max) {
        super("version " + number + " of " + key + " is " + ByteSizes.format(size)
                + ", more than insight-max-state-size (" + ByteSizes.format(max)
                + "): too large to analyse here; download it (GET /api/v1/projects/" + key.project() + "/states/"
                + key.name() + "/versions/" + number + "/content)");
    }
}
