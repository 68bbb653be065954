package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.InvalidInputException;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.surgery.StateSurgery;
import dev.statefort.core.surgery.SurgeryOperation;
import dev.statefort.core.surgery.SurgeryOutcome;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.OutcomeStatus;
import dev.statefort.server.http.PathParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/projects/{p}/states/{s}/surgery}: rm and mv of resources within the state or
 * into another state of the project, in one step ({@link StateSurgery}); {@code dryRun} answers the
 * change without making it.
 */
public final class SurgeryApi {
    private final StateSurgery surgery;
    private final ObjectMapper json;

    public SurgeryApi(StateSurgery surgery, ObjectMapper json) {
        this.surgery = surgery;
        this.json = json;
    }

    record ChangeView(
            String project,
            String state,
            long fromVersion,
            Long toVersion,
            long serial,
            List<String> removed,
            List<String> added,
            List<String> findings) {
        static ChangeView of(SurgeryOutcome.StateChange c) {
            return new ChangeView(
                    c.key().project(),
                    c.key().name(),
                    c.fromVersion(),
                    c.toVersion(),
                    c.serial(),
                    c.removed(),
                    c.added(),
                    c.findings());
        }
    }

    record DoneView(boolean dryRun, List<ChangeView> states) {}

    /**
     * POST {@code {"operations": [{"op": "rm", "address": "..."}, {"op": "mv", "from": "...", "to":
     * "...", "state": "other"}], "dryRun": false, "lockId": null}}.
     */
    void perform(Exchange ex, Principal principal, PathParams path) throws IOException {
        JsonNode body = ApiInput.readJson(ex, json);
        List<SurgeryOperation> operations = operations(body.path("operations"));
        SurgeryOutcome outcome = surgery.perform(
                principal,
                path.state(),
                operations,
                body.path("dryRun").asBoolean(false),
                ApiInput.text(body, "lockId"));
        int status = OutcomeStatus.of(outcome);
        switch (outcome) {
            case SurgeryOutcome.Done d ->
                ex.sendJson(
                        status,
                        json,
                        new DoneView(
                                d.dryRun(),
                                d.states().stream().map(ChangeView::of).toList()));
            case SurgeryOutcome.Locked l -> StateApi.lockedBy(ex, json, status, l.holder());
            case SurgeryOutcome.Refused r ->
                ex.sendJson(
                        status,
                        json,
                        Map.of(
                                "error",
                                new ApiViews.ErrorBody(
                                        status,
                                        "the destructive-write guard refused the change to " + r.state()
                                                + ": allow it with a destructive-write permit (POST .../permit), then"
                                                + " run the surgery again; nothing was written",
                                        ex.requestId()),
                                "findings",
                                r.findings()));
        }
    }

    /** The operations of a request body (the UI's form builds the same list). */
    static List<SurgeryOperation> operations(JsonNode list) {
        if (!list.isArray()) {
            throw new InvalidInputException("operations must be a list of {\"op\": \"rm\" | \"mv\", ...}");
        }
        List<SurgeryOperation> out = new ArrayList<>();
        for (JsonNode op : list) {
            String address = op.hasNonNull("address")
                    ? op.path("address").asText()
                    : op.path("from").asText(null);
            out.add(SurgeryOperation.of(
                    op.path("op").asText(null),
                    address,
                    op.path("to").asText(null),
                    op.path("state").asText(null)));
        }
        return out;
    }
}
