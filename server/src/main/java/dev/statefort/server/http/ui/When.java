package dev.statefort.server.http.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A moment as the UI shows it: relative ({@code 5 min ago}) with the exact UTC time for a {@code
 * title} and the ISO form for {@code <time datetime>}.
 */
public record When(String relative, String exact, String iso) {
    private static final DateTimeFormatter EXACT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** {@code at} as seen at {@code now}; null stays null. */
    public static When of(Instant at, Instant now) {
        if (at == null) {
            return null;
        }
        return new When(relative(Duration.between(at, now)), EXACT.format(at), at.toString());
    }

    /** A moment ahead of {@code now} (an expiry): {@code in 30 days}; one already past reads as {@link #of}. */
    public static When ahead(Instant at, Instant now) {
        if (at == null || !at.isAfter(now)) {
            return of(at, now);
        }
        String left = relative(Duration.between(now, at));
        return new When(
                left.equals("just now") ? "in a moment" : "in " + left.replace(" ago", ""),
                EXACT.format(at),
                at.toString());
    }

    static String relative(Duration ago) {
        if (ago.isNegative()) {
            return "just now"; // clocks a little apart
        }
        long seconds = ago.toSeconds();
        if (seconds < 45) {
            return "just now";
        }
        if (seconds < 90 * 60) {
            return Math.max(1, Math.round(seconds / 60.0)) + " min ago";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours < 36) {
            return hours + (hours == 1 ? " hour ago" : " hours ago");
        }
        long days = Math.round(seconds / 86400.0);
        if (days < 60) {
            return days + " days ago";
        }
        long months = Math.round(days / 30.44);
        if (months < 24) {
            return months + " months ago";
        }
        return Math.round(days / 365.25) + " years ago";
    }

    /** A byte count for people: {@code 512 B}, {@code 12.3 KiB}, {@code 4.0 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
