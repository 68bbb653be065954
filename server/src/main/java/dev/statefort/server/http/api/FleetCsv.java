package dev.statefort.server.http.api;

import dev.statefort.core.model.FleetState;
import java.util.List;

/**
 * The fleet overview as CSV (RFC 4180: every field quoted when it holds a comma, a quote or a line
 * break; a leading {@code = + - @}, tab or carriage return is prefixed with {@code '} so a spreadsheet never runs a cell as
 * a formula). The CLI exports the same text.
 */
public final class FleetCsv {
    static final String HEADER = "project,state,version,size,resources,last_write_at,writes_7d,lock_holder,"
            + "locked_since,plan_locks,terraform_version,guard_refusals_7d,index";

    private FleetCsv() {}

    public static String of(List<FleetState> states) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (FleetState s : states) {
            row(
                    out,
                    s.key().project(),
                    s.key().name(),
                    Long.toString(s.version()),
                    Long.toString(s.size()),
                    s.resources() == null ? "" : s.resources().toString(),
                    s.lastWriteAt() == null ? "" : s.lastWriteAt().toString(),
                    Long.toString(s.recentWrites()),
                    s.lockHolder(),
                    s.lockedSince() == null ? "" : s.lockedSince().toString(),
                    Integer.toString(s.planLocks()),
                    s.terraformVersion(),
                    Long.toString(s.guardRefusals()),
                    s.index());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields[i]));
        }
        out.append("\r\n");
    }

    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
