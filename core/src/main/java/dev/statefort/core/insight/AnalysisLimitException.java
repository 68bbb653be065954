package dev.statefort.core.insight;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * A body over the {@link AnalysisLimits} of its shape (too many JSON tokens, nested too deep, a name
 * or number too long). {@link ParsedVersions} turns it into a {@link TooLargeToAnalyseException}
 * naming the version.
 */
public final class AnalysisLimitException extends RuntimeException {
    private AnalysisLimitException(String reason) {
        super(reason, null, false, false);
    }

    /** The instances' addresses (module, type and name repeated per instance) would be too long together. */
    static AnalysisLimitException addressesTooLong() {
        return new AnalysisLimitException(
                "its resource addresses together are longer than an analysis holds (very long module, type or"
                        + " resource names repeated by many instances)");
    }

    static AnalysisLimitException of(StreamConstraintsException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Token count")) {
            return new AnalysisLimitException("it has more JSON values than insight-max-nodes allows");
        }
        if (message.contains("nesting depth")) {
            return new AnalysisLimitException("it nests deeper than an analysis follows");
        }
        return new AnalysisLimitException("a name, number or string in it is longer than an analysis reads");
    }
}
