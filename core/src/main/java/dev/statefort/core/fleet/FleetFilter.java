package dev.statefort.core.fleet;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.FleetState;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which states of the fleet to list and in which order, as the REST API, the UI and the CLI take it
 * (the same parameter names everywhere): {@code project}, {@code locked} ({@code true}/{@code false}),
 * {@code min_size} (bytes), {@code min_resources}, {@code written_within_days}, {@code
 * not_written_days}, {@code terraform_version} (prefix), {@code min_guard_refusals}, {@code sort}
 * ({@link #SORT_KEYS}) and {@code order} ({@code asc}/{@code desc}).
 */
public record FleetFilter(
        String project,
        Boolean locked,
        Long minSize,
        Long minResources,
        Long writtenWithinDays,
        Long notWrittenDays,
        String terraformVersion,
        Long minGuardRefusals,
        String sort,
        boolean descending) {

    /** What the list can be sorted by. */
    public static final List<String> SORT_KEYS = List.of(
            "name", "size", "resources", "last_write", "writes_7d", "lock_age", "terraform_version", "guard_refusals");

    public static final FleetFilter ALL =
            new FleetFilter(null, null, null, null, null, null, null, null, "name", false);

    /** Reads the parameters (absent or blank: no filter); a bad one is a 400 naming it. */
    public static FleetFilter parse(Map<String, String> params) {
        String sort = text(params, "sort");
        if (sort != null && !SORT_KEYS.contains(sort)) {
            throw new InvalidInputException("sort must be one of " + String.join(", ", SORT_KEYS));
        }
        String order = text(params, "order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new InvalidInputException("order must be asc or desc");
        }
        String locked = text(params, "locked");
        if (locked != null && !locked.equals("true") && !locked.equals("false")) {
            throw new InvalidInputException("locked must be true or false");
        }
        return new FleetFilter(
                text(params, "project"),
                locked == null ? null : Boolean.valueOf(locked),
                number(params, "min_size"),
                number(params, "min_resources"),
                number(params, "written_within_days"),
                number(params, "not_written_days"),
                text(params, "terraform_version"),
                number(params, "min_guard_refusals"),
                sort == null ? "name" : sort,
                order == null ? sort != null && !sort.equals("name") : order.equals("desc"));
    }

    private static String text(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > 200) {
            throw new InvalidInputException(name + " is too long");
        }
        return v.strip();
    }

    private static Long number(Map<String, String> params, String name) {
        String v = text(params, name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + " must be a whole number of at least 0");
        }
    }

    /** The states it keeps, in its order. */
    public List<FleetState> apply(List<FleetState> states, Instant now) {
        Predicate<FleetState> keep = s -> true;
        if (project != null) {
            keep = keep.and(s -> s.key().project().equals(project));
        }
        if (locked != null) {
            keep = keep.and(s -> (s.lockHolder() != null || s.planLocks() > 0) == locked);
        }
        if (minSize != null) {
            keep = keep.and(s -> s.size() >= minSize);
        }
        if (minResources != null) {
            keep = keep.and(s -> s.resources() != null && s.resources() >= minResources);
        }
        if (writtenWithinDays != null) {
            Instant after = now.minus(Duration.ofDays(writtenWithinDays));
            keep = keep.and(s -> s.lastWriteAt() != null && !s.lastWriteAt().isBefore(after));
        }
        if (notWrittenDays != null) {
            Instant before = now.minus(Duration.ofDays(notWrittenDays));
            keep = keep.and(s -> s.lastWriteAt() == null || s.lastWriteAt().isBefore(before));
        }
        if (terraformVersion != null) {
            keep = keep.and(
                    s -> s.terraformVersion() != null && s.terraformVersion().startsWith(terraformVersion));
        }
        if (minGuardRefusals != null) {
            keep = keep.and(s -> s.guardRefusals() >= minGuardRefusals);
        }
        Comparator<FleetState> byName = Comparator.comparing(
                        (FleetState s) -> s.key().project())
                .thenComparing(s -> s.key().name());
        Comparator<FleetState> order =
                switch (sort) {
                    case "size" -> Comparator.comparingLong(FleetState::size);
                    case "resources" -> nullsFirst(FleetState::resources);
                    case "last_write" -> nullsFirst(FleetState::lastWriteAt);
                    case "writes_7d" -> Comparator.comparingLong(FleetState::recentWrites);
                    // the age of the lock: an unlocked state's is the smallest, the oldest lock's the largest
                    case "lock_age" ->
                        Comparator.comparingLong((FleetState s) -> s.lockedSince() == null
                                ? Long.MIN_VALUE
                                : -s.lockedSince().toEpochMilli());
                    case "terraform_version" -> nullsFirst((FleetState s) -> versionSortKey(s.terraformVersion()));
                    case "guard_refusals" -> Comparator.comparingLong(FleetState::guardRefusals);
                    default -> byName;
                };
        Comparator<FleetState> full = (descending ? order.reversed() : order).thenComparing(byName);
        return states.stream().filter(keep).sorted(full).toList();
    }

    private static <T extends Comparable<? super T>> Comparator<FleetState> nullsFirst(Function<FleetState, T> key) {
        return Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** {@code 1.9.0} before {@code 1.10.0}: each numeric part padded. */
    private static String versionSortKey(String version) {
        if (version == null) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (String part : version.toLowerCase(Locale.ROOT).split("[.-]")) {
            boolean numeric =
                    !part.isEmpty() && part.length() < 10 && part.chars().allMatch(Character::isDigit);
            key.append(numeric ? "%010d".formatted(Long.parseLong(part)) : part).append('.');
        }
        return key.toString();
    }
}
