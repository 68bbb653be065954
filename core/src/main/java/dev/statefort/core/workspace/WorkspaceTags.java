package dev.statefort.core.workspace;

import dev.statefort.core.InvalidInputException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules of a state's tags, as HCP Terraform has them: lower-case letters, digits, {@code -_:.}, up to 255. */
public final class WorkspaceTags {
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9:_.-]{0,254}");
    /** At most this many tags on one state. */
    public static final int MAX_TAGS = 50;

    private WorkspaceTags() {}

    /** The tags lower-cased and checked; a bad tag is a 400 naming it. */
    public static List<String> checked(Collection<String> tags) {
        requireWithinLimit(tags);
        return tags.stream().map(WorkspaceTags::checked).distinct().sorted().toList();
    }

    /** 400 when a state would carry more than {@value #MAX_TAGS} tags. */
    public static void requireWithinLimit(Collection<String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new InvalidInputException("a state has at most " + MAX_TAGS + " tags");
        }
    }

    private static String checked(String tag) {
        String lower = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(lower).matches()) {
            throw new InvalidInputException("invalid tag '" + (tag == null ? "" : tag.replaceAll("\\p{Cntrl}", "?"))
                    + "': tags are 1 to 255 lower-case letters, digits and - _ : . starting with a letter or digit");
        }
        return lower;
    }
}
