package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.insight.ApplySession;
import dev.statefort.core.insight.OutputValue;
import dev.statefort.core.insight.ResourceInstance;
import dev.statefort.core.insight.StateDiff;
import dev.statefort.core.insight.StateDocument;
import dev.statefort.core.model.AuditEvent;
import dev.statefort.core.model.QuarantineRecord;
import java.util.List;

/** JSON shapes of the history endpoints (docs/api.md). Sensitive values are masked here, always. */
public final class HistoryViews {
    private HistoryViews() {}

    record ResourceSummary(String address, String module, String mode, String type, String name, JsonNode indexKey) {
        static ResourceSummary of(ResourceInstance r) {
            return new ResourceSummary(r.address(), r.module(), r.mode(), r.type(), r.name(), r.indexKey());
        }
    }

    record OutputSummary(String name, JsonNode type, boolean sensitive) {
        static OutputSummary of(OutputValue o) {
            return new OutputSummary(o.name(), o.type(), o.sensitive());
        }
    }

    /** A version's parsed summary, or {@code readable: false} with a message for opaque bodies. */
    record SummaryView(
            long version,
            boolean readable,
            String message,
            String terraformVersion,
            Long serial,
            String lineage,
            Integer resourceCount,
            List<ResourceSummary> resources,
            List<OutputSummary> outputs) {
        static SummaryView of(long version, StateDocument d) {
            return new SummaryView(
                    version,
                    true,
                    null,
                    d.terraformVersion(),
                    d.serial(),
                    d.lineage(),
                    d.resources().size(),
                    d.resources().stream().map(ResourceSummary::of).toList(),
                    d.outputs().values().stream().map(OutputSummary::of).toList());
        }

        static SummaryView unreadable(long version) {
            return new SummaryView(version, false, "contents not readable", null, null, null, null, null, null);
        }
    }

    record DiffView(long from, long to, boolean readable, String message, StateDiff.Result changes) {
        static DiffView of(long from, long to, java.util.Optional<StateDiff.Result> result) {
            return new DiffView(
                    from,
                    to,
                    result.isPresent(),
                    result.isPresent() ? null : "contents not readable",
                    result.orElse(null));
        }
    }

    record SessionView(
            String lockId,
            String operation,
            String principal,
            String startedAt,
            String endedAt,
            List<Long> versions,
            List<Long> intermediateVersions,
            boolean active) {
        static SessionView of(ApplySession s) {
            return new SessionView(
                    s.lockId(),
                    s.operation(),
                    s.principal(),
                    ApiViews.iso(s.startedAt()),
                    ApiViews.iso(s.endedAt()),
                    s.versions(),
                    s.versions().subList(0, s.versions().size() - 1),
                    s.active());
        }
    }

    record QuarantineView(
            long id,
            List<String> reasons,
            Long serial,
            String lineage,
            Integer resourceCount,
            long size,
            String sha256,
            String createdAt,
            String principal,
            String lockId) {
        static QuarantineView of(QuarantineRecord q) {
            return new QuarantineView(
                    q.id(),
                    q.reasons(),
                    q.version().serial(),
                    q.version().lineage(),
                    q.version().resourceCount(),
                    q.version().size(),
                    q.version().sha256(),
                    ApiViews.iso(q.version().createdAt()),
                    q.version().principal(),
                    q.lockId());
        }
    }

    record AuditView(
            String id,
            String at,
            String principal,
            String sourceIp,
            String action,
            String outcome,
            String project,
            String state,
            Long version,
            JsonNode detail) {
        static AuditView of(AuditEvent e, com.fasterxml.jackson.databind.ObjectMapper json) {
            JsonNode detail;
            try {
                detail = json.readTree(e.detail() == null ? "{}" : e.detail());
            } catch (java.io.IOException ex) {
                detail = null;
            }
            return new AuditView(
                    e.id(),
                    ApiViews.iso(e.at()),
                    e.principal(),
                    e.sourceIp(),
                    e.action(),
                    e.outcome(),
                    e.project(),
                    e.state(),
                    e.version(),
                    detail);
        }
    }
}
