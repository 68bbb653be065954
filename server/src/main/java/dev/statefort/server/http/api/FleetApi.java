package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.fleet.FleetFilter;
import dev.statefort.core.fleet.FleetView;
import dev.statefort.core.model.ConsumerRecord;
import dev.statefort.core.model.DuplicateObject;
import dev.statefort.core.model.FleetState;
import dev.statefort.core.model.SearchHit;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.PathParams;
import dev.statefort.server.http.api.ApiViews.Items;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet across projects: {@code /api/v1/search}, {@code /api/v1/fleet/duplicates}, {@code
 * /api/v1/fleet/states} (JSON or CSV) and a state's outputs readers ({@code .../consumers}); JSON out
 * of {@link FleetView}, which keeps every answer to the states the caller may read.
 */
public final class FleetApi {
    /** The parameters {@code /api/v1/fleet/states} filters and sorts by (see {@link FleetFilter}). */
    static final List<String> FILTER_PARAMS = List.of(
            "project",
            "locked",
            "min_size",
            "min_resources",
            "written_within_days",
            "not_written_days",
            "terraform_version",
            "min_guard_refusals",
            "sort",
            "order");

    private final FleetView fleet;
    private final ObjectMapper json;

    public FleetApi(FleetView fleet, ObjectMapper json) {
        this.fleet = fleet;
        this.json = json;
    }

    record HitView(
            String project, String state, long version, String address, String type, String field, String value) {
        static HitView of(SearchHit h) {
            return new HitView(
                    h.key().project(), h.key().name(), h.version(), h.address(), h.type(), h.field(), h.value());
        }
    }

    record OwnerView(String project, String state, String address) {}

    record DuplicateView(String type, String key, List<OwnerView> owners) {
        static DuplicateView of(DuplicateObject d) {
            return new DuplicateView(
                    d.type(),
                    d.key(),
                    d.owners().stream()
                            .map(o ->
                                    new OwnerView(o.state().project(), o.state().name(), o.address()))
                            .toList());
        }
    }

    record FleetStateView(
            String project,
            String state,
            long version,
            long size,
            Integer resources,
            String lastWriteAt,
            long writes7d,
            String lockHolder,
            String lockedSince,
            int planLocks,
            String terraformVersion,
            long guardRefusals7d,
            String index) {
        static FleetStateView of(FleetState s) {
            return new FleetStateView(
                    s.key().project(),
                    s.key().name(),
                    s.version(),
                    s.size(),
                    s.resources(),
                    ApiViews.iso(s.lastWriteAt()),
                    s.recentWrites(),
                    s.lockHolder(),
                    ApiViews.iso(s.lockedSince()),
                    s.planLocks(),
                    s.terraformVersion(),
                    s.guardRefusals(),
                    s.index());
        }
    }

    record ConsumerView(String reader, String via, String firstSeen, String lastSeen, long reads) {
        static ConsumerView of(ConsumerRecord c) {
            return new ConsumerView(
                    c.reader(), c.via(), ApiViews.iso(c.firstSeen()), ApiViews.iso(c.lastSeen()), c.reads());
        }
    }

    /** GET {@code ?q=...&type=...&project=...&limit=...}. */
    void search(Exchange ex, Principal principal, PathParams path) throws IOException {
        List<SearchHit> hits = fleet.search(principal, ex.query("q"), ex.query("type"), ex.query("project"), limit(ex));
        ex.sendJson(200, json, new Items<>(hits.stream().map(HitView::of).toList()));
    }

    void duplicates(Exchange ex, Principal principal, PathParams path) throws IOException {
        List<DuplicateObject> found = fleet.duplicates(principal, ex.query("project"), limit(ex));
        ex.sendJson(200, json, new Items<>(found.stream().map(DuplicateView::of).toList()));
    }

    /** GET with the {@link FleetFilter} parameters and {@code format=json} (default) or {@code csv}. */
    void states(Exchange ex, Principal principal, PathParams path) throws IOException {
        List<FleetState> states = fleet.states(principal, FleetFilter.parse(filterParams(ex)));
        String format = ex.query("format");
        if (format == null || format.equals("json")) {
            ex.sendJson(
                    200,
                    json,
                    new Items<>(states.stream().map(FleetStateView::of).toList()));
        } else if (format.equals("csv")) {
            ex.header("Content-Disposition", "attachment; filename=\"statefort-fleet.csv\"");
            ex.send(200, "text/csv; charset=utf-8", FleetCsv.of(states).getBytes(StandardCharsets.UTF_8));
        } else {
            throw new InvalidInputException("format must be json or csv");
        }
    }

    void consumers(Exchange ex, Principal principal, PathParams path) throws IOException {
        ex.sendJson(
                200,
                json,
                new Items<>(fleet.consumers(principal, path.state()).stream()
                        .map(ConsumerView::of)
                        .toList()));
    }

    private static final ObjectMapper EXPORT = new ObjectMapper();

    /** The overview as this API answers it in JSON (the UI's export gives the same file). */
    public static byte[] json(List<FleetState> states) throws IOException {
        return EXPORT.writeValueAsBytes(
                new Items<>(states.stream().map(FleetStateView::of).toList()));
    }

    /** The fleet filter's parameters of a request (the UI's fleet page reads the same ones). */
    public static Map<String, String> filterParams(Exchange ex) {
        Map<String, String> params = new HashMap<>();
        for (String name : FILTER_PARAMS) {
            String v = ex.query(name);
            if (v != null) {
                params.put(name, v);
            }
        }
        return params;
    }

    private static Integer limit(Exchange ex) {
        String v = ex.query("limit");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit must be a whole number");
        }
    }
}
