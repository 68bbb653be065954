package dev.statefort.server.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.lock.LockView;
import dev.statefort.core.model.LockRecord;
import dev.statefort.core.model.Page;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.model.StateRecord;
import dev.statefort.core.model.VersionRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the REST API (field names are the API contract; see docs/api.md). */
public final class ApiViews {
    private ApiViews() {}

    /** {@code movingTo}: the profile a move in progress copies the project's blobs to, else null. */
    record ProjectView(String name, String createdAt, String storage, String movingTo) {
        static ProjectView of(ProjectRecord p) {
            return new ProjectView(p.name(), iso(p.createdAt()), p.storage(), p.movingTo());
        }
    }

    /** A change freeze of a state ({@code state} set) or of a project. */
    record FreezeView(String project, String state, String reason, String frozenBy, String frozenAt, String until) {
        static FreezeView of(dev.statefort.core.model.Freeze f) {
            return new FreezeView(f.project(), f.state(), f.reason(), f.frozenBy(), iso(f.frozenAt()), iso(f.until()));
        }
    }

    /** A protection rule of a project. */
    record ProtectionRuleView(
            String id,
            int number,
            String states,
            java.util.List<String> allow,
            java.util.List<String> allowTokens,
            String createdBy,
            String createdAt) {
        static ProtectionRuleView of(dev.statefort.core.model.ProtectionRule r) {
            return new ProtectionRuleView(
                    r.id(), r.number(), r.states(), r.allow(), r.allowTokens(), r.createdBy(), iso(r.createdAt()));
        }
    }

    /**
     * A lock holder: what Terraform sent ({@code info}) and what Statefort recorded; {@code kind} is
     * {@code exclusive} or {@code plan}.
     */
    record LockView(
            String id,
            String kind,
            String operation,
            String who,
            String principal,
            String acquiredAt,
            String lastActivityAt,
            Boolean stale,
            JsonNode info) {
        static LockView of(LockRecord lock, ObjectMapper json) {
            return of(lock, null, json);
        }

        /** With {@code stale} known; {@code info} is the holder's LockInfo as sent (its "Info" text included). */
        static LockView of(LockRecord lock, Boolean stale, ObjectMapper json) {
            if (lock == null) {
                return null;
            }
            JsonNode info = null;
            try {
                info = json.readTree(lock.info().json());
            } catch (IOException e) {
                // stored LockInfo was validated on LOCK; show what we can
            }
            String who = lock.info().who();
            return new LockView(
                    lock.id(),
                    lock.kind().name().toLowerCase(java.util.Locale.ROOT),
                    lock.info().operation(),
                    who,
                    lock.principal(),
                    iso(lock.acquiredAt()),
                    iso(lock.lastActivityAt()),
                    stale,
                    stale == null ? null : info);
        }
    }

    record StateView(
            String name,
            Long currentVersion,
            Long size,
            String updatedAt,
            Long serial,
            String lineage,
            String createdAt,
            LockView lock) {
        static StateView of(StateRecord s, ObjectMapper json) {
            VersionRecord head = s.head();
            return new StateView(
                    s.key().name(),
                    head == null ? null : head.number(),
                    head == null ? null : head.size(),
                    head == null ? null : iso(head.createdAt()),
                    head == null ? null : head.serial(),
                    head == null ? null : head.lineage(),
                    iso(s.createdAt()),
                    LockView.of(s.lock(), json));
        }
    }

    record VersionView(
            long number,
            Long serial,
            String lineage,
            String sha256,
            long size,
            String createdAt,
            String principal,
            String lockId,
            String operation,
            Integer resourceCount,
            String terraformVersion,
            List<String> flags) {
        static VersionView of(VersionRecord v) {
            return new VersionView(
                    v.number(),
                    v.serial(),
                    v.lineage(),
                    v.sha256(),
                    v.size(),
                    iso(v.createdAt()),
                    v.principal(),
                    v.lockId(),
                    v.operation(),
                    v.resourceCount(),
                    v.terraformVersion(),
                    v.flags());
        }
    }

    record Items<T>(List<T> items) {}

    record PageView<T>(List<T> items, Long nextBefore) {
        static PageView<VersionView> of(Page<VersionRecord> page) {
            return new PageView<>(page.items().stream().map(VersionView::of).toList(), page.nextBefore());
        }
    }

    record ErrorView(ErrorBody error) {
        /** The error of the request {@code ex} answers, with its request ID. */
        static ErrorView of(dev.statefort.server.http.Exchange ex, int status, String message) {
            return new ErrorView(new ErrorBody(status, message, ex.requestId()));
        }
    }

    /** An error: its HTTP status, a plain message, and the request ID to quote (also in {@code X-Request-Id}). */
    record ErrorBody(int status, String message, String requestId) {}

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
