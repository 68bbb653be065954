package dev.statefort.core.model;

/**
 * A pattern where {@code *} stands for any run of characters (none included) and every other
 * character stands for itself: {@code prod-*}, {@code refs/heads/*}, {@code repo:acme/*:ref:refs/heads/main}.
 * The whole value must match: {@code acme/infra} does not match {@code acme/infra-old}.
 */
public final class Glob {
    public static final String MATCH_ALL = "*";

    private Glob() {}

    /** Whether {@code value} matches {@code pattern} as a whole. */
    public static boolean matches(String pattern, String value) {
        if (pattern == null || value == null) {
            return false;
        }
        return matches(pattern, 0, value, 0);
    }

    private static boolean matches(String p, int pi, String v, int vi) {
        // iterative with one backtrack point: linear in practice, never exponential
        int star = -1;
        int starMatch = 0;
        while (vi < v.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                starMatch = vi;
            } else if (pi < p.length() && p.charAt(pi) == v.charAt(vi)) {
                pi++;
                vi++;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++starMatch;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
