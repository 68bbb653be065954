package dev.statefort.server.logging;

/**
 * Text that reaches a log line from outside (a lock ID, a state, project or user name, a header, an
 * exception's message) with its control characters written as escapes: a CR or LF in a client's
 * lock ID can never start a line of its own, so no one can forge a log line.
 */
public final class LogText {
    private LogText() {}

    /** {@code text} with CR, LF, tab and every other control or line-separator character escaped. */
    public static String escape(String text) {
        if (text == null || text.chars().noneMatch(LogText::needsEscape)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085';
    }
}
