package dev.statefort.server.http.ui;

import java.util.List;

/** What the fleet's pages show: search hits, the overview, objects managed twice, a state's readers. */
public final class FleetPages {
    private FleetPages() {}

    public record Search(String q, String type, String project, List<Hit> hits, boolean searched) {}

    public record Hit(
            String project,
            String state,
            String stateHref,
            long version,
            String address,
            String type,
            String field,
            String value) {}

    public record Fleet(
            List<Row> rows, List<Column> columns, String query, String csvHref, String jsonHref, Filter filter) {}

    /** The filter form's values as given (blank: none). */
    public record Filter(
            String project,
            String locked,
            String minSize,
            String minResources,
            String writtenWithinDays,
            String notWrittenDays,
            String terraformVersion) {}

    public record Column(String label, String href, boolean sorted, boolean descending) {}

    public record Row(
            String project,
            String state,
            String href,
            long version,
            String size,
            Integer resources,
            When lastWrite,
            long writes7d,
            String lockHolder,
            When lockedSince,
            int planLocks,
            String terraformVersion,
            long guardRefusals,
            String index) {}

    public record Duplicates(List<Duplicate> objects) {}

    public record Duplicate(String type, String key, List<Owner> owners) {}

    public record Owner(String project, String state, String href, String address) {}

    public record Readers(String project, String state, String stateHref, List<Reader> readers) {}

    public record Reader(String reader, String via, When firstSeen, When lastSeen, long reads) {}
}
