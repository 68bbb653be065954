package dev.statefort.server.http.ui;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.fleet.FleetFilter;
import dev.statefort.core.fleet.FleetView;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.StateKey;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.api.FleetApi;
import dev.statefort.server.http.api.FleetCsv;
import dev.statefort.server.http.ui.Chrome.Crumb;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet in the UI: search (the header's box), the overview of every state the user may read with
 * its filters, sorting and CSV/JSON export, objects managed by two states, and a state's outputs
 * readers. The answers are {@link FleetView}'s, the same as the REST API's and the CLI's.
 */
public final class UiFleetPages {
    static final String FLEET = "/ui/fleet";

    private static final String[][] COLUMNS = {
        {"name", "State"},
        {"size", "Size"},
        {"resources", "Resources"},
        {"last_write", "Last write"},
        {"writes_7d", "Writes (7 d)"},
        {"lock_age", "Lock"},
        {"terraform_version", "Terraform"},
        {"guard_refusals", "Guard refusals (7 d)"}
    };

    private final FleetView fleet;
    private final Clock clock;
    private final UiView ui;

    public UiFleetPages(FleetView fleet, Clock clock, UiView ui) {
        this.fleet = fleet;
        this.clock = clock;
        this.ui = ui;
    }

    void search(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        String q = blank(ex.query("q"));
        String type = blank(ex.query("type"));
        String project = blank(ex.query("project"));
        List<FleetPages.Hit> hits = List.of();
        boolean searched = q != null || type != null;
        if (searched) {
            hits = fleet.search(principal, q, type, project, 200).stream()
                    .map(h -> new FleetPages.Hit(
                            h.key().project(),
                            h.key().name(),
                            UiPages.stateHref(h.key()),
                            h.version(),
                            h.address(),
                            h.type(),
                            h.field(),
                            h.value()))
                    .toList();
        }
        ui.send(
                ex,
                200,
                "search.jte",
                chrome.page("Search", List.of(new Crumb("Search", "/ui/search"))),
                new FleetPages.Search(q, type, project, hits, searched));
    }

    void states(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        Map<String, String> params = FleetApi.filterParams(ex);
        FleetFilter filter = FleetFilter.parse(params);
        Instant now = clock.instant();
        List<FleetPages.Row> rows =
                fleet.states(principal, filter).stream().map(s -> row(s, now)).toList();
        List<FleetPages.Column> columns = new ArrayList<>();
        for (String[] c : COLUMNS) {
            boolean sorted = c[0].equals(filter.sort());
            Map<String, String> next = new TreeMap<>(params);
            next.put("sort", c[0]);
            // a second click on the sorted column turns it around
            next.put("order", sorted ? (filter.descending() ? "asc" : "desc") : c[0].equals("name") ? "asc" : "desc");
            columns.add(new FleetPages.Column(c[1], FLEET + "?" + query(next), sorted, filter.descending()));
        }
        String query = query(new TreeMap<>(params));
        ui.send(
                ex,
                200,
                "fleet.jte",
                chrome.page("Fleet", List.of(new Crumb("Fleet", FLEET))),
                new FleetPages.Fleet(
                        rows,
                        columns,
                        query,
                        FLEET + "/export?format=csv" + (query.isEmpty() ? "" : "&" + query),
                        FLEET + "/export?format=json" + (query.isEmpty() ? "" : "&" + query),
                        new FleetPages.Filter(
                                params.get("project"),
                                params.get("locked"),
                                params.get("min_size"),
                                params.get("min_resources"),
                                params.get("written_within_days"),
                                params.get("not_written_days"),
                                params.get("terraform_version"))));
    }

    /** The overview as a file: CSV, or the REST API's JSON. */
    void export(Exchange ex, Principal principal) throws IOException {
        List<FleetState> states = fleet.states(principal, FleetFilter.parse(FleetApi.filterParams(ex)));
        String format = ex.query("format");
        if ("json".equals(format)) {
            ex.header("Content-Disposition", "attachment; filename=\"statefort-fleet.json\"");
            ex.send(200, Exchange.JSON, FleetApi.json(states));
        } else {
            ex.header("Content-Disposition", "attachment; filename=\"statefort-fleet.csv\"");
            ex.send(200, "text/csv; charset=utf-8", FleetCsv.of(states).getBytes(StandardCharsets.UTF_8));
        }
    }

    void duplicates(Exchange ex, Chrome chrome, Principal principal) throws IOException {
        List<FleetPages.Duplicate> objects = fleet.duplicates(principal, blank(ex.query("project")), 500).stream()
                .map(d -> new FleetPages.Duplicate(
                        d.type(),
                        d.key(),
                        d.owners().stream()
                                .map(o -> new FleetPages.Owner(
                                        o.state().project(),
                                        o.state().name(),
                                        UiPages.stateHref(o.state()),
                                        o.address()))
                                .toList()))
                .toList();
        ui.send(
                ex,
                200,
                "duplicates.jte",
                chrome.page(
                        "Managed twice",
                        List.of(new Crumb("Fleet", FLEET), new Crumb("Managed twice", FLEET + "/duplicates"))),
                new FleetPages.Duplicates(objects));
    }

    void readers(Exchange ex, Chrome chrome, Principal principal, StateKey key) throws IOException {
        Instant now = clock.instant();
        List<FleetPages.Reader> readers = fleet.consumers(principal, key).stream()
                .map(c -> new FleetPages.Reader(
                        c.reader(), c.via(), When.of(c.firstSeen(), now), When.of(c.lastSeen(), now), c.reads()))
                .toList();
        String href = UiPages.stateHref(key);
        ui.send(
                ex,
                200,
                "readers.jte",
                chrome.page(
                        "Read by · " + key,
                        List.of(
                                new Crumb(key.project(), UiPages.projectHref(key.project())),
                                new Crumb(key.name(), href),
                                new Crumb("Read by", href + "/readers"))),
                new FleetPages.Readers(key.project(), key.name(), href, readers));
    }

    private static FleetPages.Row row(FleetState s, Instant now) {
        return new FleetPages.Row(
                s.key().project(),
                s.key().name(),
                UiPages.stateHref(s.key()),
                s.version(),
                When.bytes(s.size()),
                s.resources(),
                s.lastWriteAt() == null ? null : When.of(s.lastWriteAt(), now),
                s.recentWrites(),
                s.lockHolder(),
                s.lockedSince() == null ? null : When.of(s.lockedSince(), now),
                s.planLocks(),
                s.terraformVersion(),
                s.guardRefusals(),
                s.index());
    }

    private static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                q.append(q.isEmpty() ? "" : "&")
                        .append(k)
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
