package dev.statefort.core.model;

import dev.statefort.core.InvalidInputException;
import java.util.regex.Pattern;

/** The one rule for project and state names: {@code [A-Za-z0-9][A-Za-z0-9._-]*}, at most 128 chars. */
public final class Names {
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Names() {}

    public static boolean isValid(String name) {
        return name != null
                && name.length() <= MAX_LENGTH
                && VALID.matcher(name).matches();
    }

    /** Returns the name, or throws {@link InvalidInputException} naming what is wrong. */
    public static String require(String what, String name) {
        if (!isValid(name)) {
            throw new InvalidInputException("invalid " + what + " name: must match [A-Za-z0-9][A-Za-z0-9._-]* "
                    + "and be at most " + MAX_LENGTH + " characters");
        }
        return name;
    }
}
